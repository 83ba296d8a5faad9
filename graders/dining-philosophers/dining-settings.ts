import { z } from 'zod';

/**
 * The `settings` of exercises/dining-philosophers/exercise.json. Pauses are whole ms; the first one
 * after a philosopher's first fork is longer than the start spread of the threads, so that
 * left-then-right for everyone closes its circle in the first round, also on a busy machine.
 */
const pauseRange = z
  .object({ minMs: z.number().int().min(0).max(100), maxMs: z.number().int().min(0).max(100) })
  .refine((range) => range.minMs <= range.maxMs, 'minMs > maxMs');

const settingsSchema = z.object({
  tables: z.object({
    seats: z.array(z.number().int().min(2).max(16)).min(1),
    runsPerTable: z.number().int().min(1).max(5),
    meals: z.number().int().min(1).max(1000),
    /** Real time for one table before it is stopped as `timeout`. */
    wallTimeMs: z.number().int().min(500).max(20_000),
  }),
  pauses: z.object({ firstGrab: pauseRange, acquire: pauseRange, eat: pauseRange, think: pauseRange }),
  /** Short tables under the controlled scheduler, one exploration per size: exact, replayable counterexamples. */
  controlled: z.object({
    seats: z.array(z.number().int().min(2).max(16)).min(1),
    meals: z.number().int().min(1).max(10),
    runs: z.number().int().min(1).max(500),
  }),
  hidden: z
    .object({
      seats: z.object({ min: z.number().int().min(2), max: z.number().int().max(16) }),
      runs: z.number().int().min(1).max(5),
      meals: z.number().int().min(1).max(1000),
      wallTimeMs: z.number().int().min(500).max(20_000),
    })
    .refine((hidden) => hidden.seats.min <= hidden.seats.max, 'hidden.seats: min > max'),
});

export type DiningSettings = z.infer<typeof settingsSchema>;

export function parseDiningSettings(settings: unknown): DiningSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(
      `exercises/dining-philosophers/exercise.json settings are invalid: ${parsed.error.message}`,
    );
  return parsed.data;
}
