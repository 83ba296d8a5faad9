import { z } from 'zod';

/**
 * The `settings` of exercises/fetch-all/exercise.json. Each case needs a succeeding first url and
 * at least one failure after it, so that a failure can settle while url 0 is still pending.
 */
const caseSpec = z
  .object({ urls: z.number().int().min(2).max(200), failures: z.number().int().min(1) })
  .refine((spec) => spec.failures <= spec.urls - 1, 'failures must leave the first url succeeding');

const settingsSchema = z
  .object({
    latencyMs: z.object({ min: z.number().int().min(1), max: z.number().int() }),
    cases: z.array(caseSpec).min(1),
    hiddenCase: caseSpec,
    /** Schedules per case (AsyncScenario.scheduleSeed): how completions at the same instant are ordered. */
    schedules: z.number().int().min(1).max(20).default(1),
  })
  .refine((s) => s.latencyMs.max - s.latencyMs.min >= 2, 'latencyMs needs a range of at least 2 ms');

export type FetchAllCaseSpec = z.infer<typeof caseSpec>;
export type FetchAllSettings = z.infer<typeof settingsSchema>;

export function parseFetchAllSettings(settings: unknown): FetchAllSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(`exercises/fetch-all/exercise.json settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}
