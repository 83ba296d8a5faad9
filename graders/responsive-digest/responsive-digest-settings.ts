import { z } from 'zod';

/**
 * The `settings` of exercises/responsive-digest/exercise.json. `digestCostMs` is the virtual time
 * one digest takes (at least 1 ms, so the heartbeat's 0 ms timer is always due after a digest);
 * `slackMs` is the constant the time check allows on top of twice the sequential time.
 */
const settingsSchema = z.object({
  digestCostMs: z.number().int().min(1).max(100),
  slackMs: z.number().int().min(0),
  maxDigestsBetweenTicks: z.number().int().min(1),
  cases: z.array(z.number().int().min(1).max(10_000)).min(1),
  hiddenCase: z.number().int().min(1).max(10_000),
});

export type ResponsiveDigestSettings = z.infer<typeof settingsSchema>;

export function parseResponsiveDigestSettings(settings: unknown): ResponsiveDigestSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(
      `exercises/responsive-digest/exercise.json settings are invalid: ${parsed.error.message}`,
    );
  return parsed.data;
}
