import { z } from 'zod';

/**
 * The `settings` of exercises/async-bank/exercise.json. Store latencies are small whole numbers of
 * virtual ms, so completions often tie and each schedule seed orders them its own way.
 */
const settingsSchema = z
  .object({
    latencyMs: z.object({ min: z.number().int().min(1), max: z.number().int() }),
    schedules: z.number().int().min(1).max(50),
    hiddenSchedules: z.number().int().min(1).max(50),
    deposits: z.object({ accounts: z.number().int().min(2).max(26), perAccount: z.number().int().min(3) }),
    withdrawals: z.object({ perAccount: z.number().int().min(3), mixed: z.number().int().min(0) }),
    transfers: z
      .object({
        accounts: z.number().int().min(3).max(26),
        transfers: z.number().int().min(0),
        intoHub: z.number().int().min(2),
      })
      .refine((spec) => spec.intoHub < spec.accounts, 'intoHub needs that many accounts besides the hub'),
    hidden: z.object({ accounts: z.number().int().min(2).max(26), operations: z.number().int().min(1) }),
  })
  .refine((s) => s.latencyMs.max > s.latencyMs.min, 'latencyMs needs a range, so that schedules differ');

export type AsyncBankSettings = z.infer<typeof settingsSchema>;

export function parseAsyncBankSettings(settings: unknown): AsyncBankSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(`exercises/async-bank/exercise.json settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}
