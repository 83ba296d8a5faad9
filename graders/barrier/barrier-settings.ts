import { z } from 'zod';

/**
 * The `settings` of exercises/barrier/exercise.json. Rounds are bounded by time as well as by
 * number (every thread stops after the same round), so a fair but slow barrier does fewer rounds
 * instead of running long.
 */
const wallTimeMs = z.number().int().min(500).max(20_000);
const pauseMs = z
  .object({ minMs: z.number().int().min(0).max(100), maxMs: z.number().int().min(0).max(100) })
  .refine((range) => range.minMs <= range.maxMs, 'minMs > maxMs');
const roundRuns = z.object({
  rounds: z.number().int().min(2).max(100_000),
  maxMs: z.number().int().min(10).max(5000),
  /** Before each round a thread pauses with this chance, for a whole number of ms in pauseMs. */
  pauseChance: z.number().min(0).max(1),
  pauseMs,
  wallTimeMs,
});
const strategy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random') }),
  z.object({ kind: z.literal('pct'), depth: z.number().int().min(1).max(16) }),
]);

const settingsSchema = z
  .object({
    latecomer: z.object({
      parties: z.array(z.number().int().min(2).max(16)).min(1),
      /** The last party arrives this long after the others. */
      latecomerMs: z.number().int().min(50).max(2000),
      /** A waiter may use at most this share of the wait as CPU (the estimate counts time preempted). */
      maxCpuShare: z.number().gt(0).lt(1),
      /** More returns from Atomics.wait than this while waiting is a spin through `not-equal`. */
      maxWaits: z.number().int().min(10),
      /** A run whose waiters went over their CPU share is measured again, up to this many runs in all. */
      attempts: z.number().int().min(1).max(5),
      wallTimeMs,
    }),
    /** Short runs under the controlled scheduler, one exploration per shape: exact, replayable counterexamples. */
    controlled: z.object({
      shapes: z
        .array(
          z.object({
            parties: z.number().int().min(2).max(16),
            /** At least 2: reuse needs a second round. */
            rounds: z.number().int().min(2).max(50),
            runs: z.number().int().min(1).max(2000),
          }),
        )
        .min(1),
      /** The strategies take turns, run after run. */
      strategies: z.array(strategy).min(1),
      /** Steps one run may take; a run stopped there proves nothing and is not judged on finishing. */
      maxSteps: z.number().int().min(1000).max(20_000),
      /** After this many runs of one shape stopped at the step limit, the shape stops: they cost real time and prove nothing. */
      maxStoppedRuns: z.number().int().min(1).max(100),
      /** Real time for the runs of one shape; when it passes, that shape's exploration stops. */
      wallTimeMs,
    }),
    rounds: roundRuns.extend({ parties: z.array(z.number().int().min(2).max(16)).min(1) }),
    hidden: roundRuns.extend({
      parties: z.object({ min: z.number().int().min(2), max: z.number().int().max(16) }),
      runs: z.number().int().min(1).max(5),
    }),
  })
  .refine((s) => s.hidden.parties.min <= s.hidden.parties.max, 'hidden.parties: min > max')
  .refine(
    (s) => s.latecomer.wallTimeMs > 2 * s.latecomer.latecomerMs,
    'latecomer.wallTimeMs must leave room for the late arrival and the wake-ups after it',
  );

export type BarrierSettings = z.infer<typeof settingsSchema>;

export function parseBarrierSettings(settings: unknown): BarrierSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(`exercises/barrier/exercise.json settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}
