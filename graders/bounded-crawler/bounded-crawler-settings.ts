import { z } from 'zod';

/**
 * The `settings` of exercises/bounded-crawler/exercise.json. The brief asks for several limits
 * including 1 and one at least as large as the list, and a case where fixed batches can lose.
 */
const caseSpec = z.object({ urls: z.number().int().min(1).max(200), limit: z.number().int().min(1) });

const settingsSchema = z
  .object({
    latencyMs: z.object({ min: z.number().int().min(1), max: z.number().int() }),
    cases: z.array(caseSpec).min(1),
    hiddenCase: caseSpec,
    /** Schedules per case (AsyncScenario.scheduleSeed): how completions at the same instant are ordered. */
    schedules: z.number().int().min(1).max(20).default(1),
  })
  .refine((s) => s.latencyMs.max - s.latencyMs.min >= 10, 'latencyMs needs a range of at least 10 ms')
  .refine((s) => s.cases.some((c) => c.limit === 1 && c.urls > 1), 'a case needs limit 1 with several urls')
  .refine(
    (s) => s.cases.some((c) => c.limit >= c.urls && c.urls > 1),
    'a case needs a limit covering every url',
  )
  .refine((s) => s.cases.some((c) => c.limit >= 2 && c.urls > c.limit), 'a case needs 2 <= limit < urls');

export type CrawlCaseSpec = z.infer<typeof caseSpec>;
export type BoundedCrawlerSettings = z.infer<typeof settingsSchema>;

export function parseBoundedCrawlerSettings(settings: unknown): BoundedCrawlerSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(`exercises/bounded-crawler/exercise.json settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}
