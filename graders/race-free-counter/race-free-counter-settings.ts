import { z } from 'zod';

/**
 * The `settings` of exercises/race-free-counter/exercise.json. Counting runs are bounded by time as
 * well as by rounds, so a fair (FIFO) but slow lock does fewer rounds instead of running long.
 */
const countingRuns = z.object({
  /** Rounds per thread at most. */
  rounds: z.number().int().min(1).max(1_000_000),
  /** Each thread stops starting rounds this long after its first one. */
  maxMs: z.number().int().min(10).max(2000),
  /** Real time for one run before it is stopped as `timeout`. */
  wallTimeMs: z.number().int().min(500).max(20_000),
});

const settingsSchema = z
  .object({
    exclusion: countingRuns.extend({
      threadCounts: z.array(z.number().int().min(2).max(16)).min(1),
      runsPerThreadCount: z.number().int().min(1).max(10),
    }),
    incrementDecrement: countingRuns.extend({
      threads: z.number().int().min(2).max(16),
      runs: z.number().int().min(1).max(10),
    }),
    independentIndexes: z.object({
      wallTimeMs: z.number().int().min(200).max(20_000),
    }),
    waitersSleep: z.object({
      waiters: z.number().int().min(2).max(8),
      holdMs: z.number().int().min(50).max(2000),
      /** A waiter may use at most this share of the hold time as CPU (the estimate counts time preempted). */
      maxCpuShare: z.number().gt(0).lt(1),
      /** More returns from Atomics.wait than this while the lock is held is a spin through `not-equal`. */
      maxWaits: z.number().int().min(10),
      /** A waiter over its CPU share on a completed run is measured again, up to this many runs in all. */
      attempts: z.number().int().min(1).max(5),
      wallTimeMs: z.number().int().min(500).max(20_000),
    }),
    /** Short counting runs under the controlled scheduler: exact, replayable counterexamples. */
    controlled: z.object({
      threads: z.number().int().min(2).max(8),
      rounds: z.number().int().min(1).max(50),
      runs: z.number().int().min(1).max(2000),
    }),
    /** Hidden: controlled runs with a random number of threads and the mutex at a random index. */
    largeRandom: z.object({
      threads: z.object({ min: z.number().int().min(2), max: z.number().int().max(8) }),
      rounds: z.number().int().min(1).max(50),
      runs: z.number().int().min(1).max(2000),
    }),
  })
  .refine(
    (s) => s.incrementDecrement.rounds % 2 === 0,
    'incrementDecrement.rounds must be even (add, then subtract)',
  )
  .refine((s) => s.largeRandom.threads.min <= s.largeRandom.threads.max, 'largeRandom.threads: min > max')
  .refine(
    (s) => s.waitersSleep.wallTimeMs > 2 * s.waitersSleep.holdMs,
    'waitersSleep.wallTimeMs must leave room for the hold and the hand-overs after it',
  );

export type RaceFreeCounterSettings = z.infer<typeof settingsSchema>;
export type CountingRunSettings = z.infer<typeof countingRuns>;

export function parseRaceFreeCounterSettings(settings: unknown): RaceFreeCounterSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(
      `exercises/race-free-counter/exercise.json settings are invalid: ${parsed.error.message}`,
    );
  return parsed.data;
}
