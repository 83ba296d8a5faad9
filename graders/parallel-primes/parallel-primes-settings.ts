import { z } from 'zod';

/**
 * The `settings` of exercises/parallel-primes/exercise.json.
 *  smallLimits x threads: exact counts where ranges are tiny, empty, or fewer than the threads.
 *  boundaries: where split points of the usual ways to divide [0, limit) are looked for on primes.
 *  largeLimit: an exact count with every thread count above 2, not timed.
 *  timing: the speedup and work-sharing measurement (alternating runs at `limit`).
 */
const settingsSchema = z.object({
  smallLimits: z.array(z.number().int().min(0).max(100_000)).min(1),
  threads: z.array(z.number().int().min(1).max(8)).min(1),
  boundaries: z
    .object({ searchFrom: z.number().int().min(100), searchTo: z.number().int() })
    .refine(
      (range) => range.searchTo - range.searchFrom >= 10_000,
      'boundaries need a search range of 10,000 or more',
    ),
  largeLimit: z.number().int().min(10_000).max(20_000_000),
  timing: z.object({
    limit: z.number().int().min(100_000).max(50_000_000),
    /** Undisturbed runs wanted of each thread count. */
    runs: z.number().int().min(1).max(9),
    /** Most runs of each thread count, retries of disturbed runs included. */
    maxRuns: z.number().int().min(1).max(20),
    /** Wall time with k threads must be at least this x k times shorter than with one (0.7: 1.4x on 2 cores). */
    minSpeedupPerCore: z.number().min(0.1).max(1),
    /** The busiest worker's CPU time at most this times the workers' mean. */
    maxBusiestToMean: z.number().min(1).max(4),
    /** A run is disturbed when other processes used more than this share of its dedicated cores' time. */
    disturbedShare: z.number().min(0).max(1),
    /** No new round of timed runs starts once the grading has taken this long (retries on a busy machine). */
    budgetMs: z.number().int().min(1000).max(100_000),
  }),
});

export type ParallelPrimesSettings = z.infer<typeof settingsSchema>;
export type TimingSettings = ParallelPrimesSettings['timing'];

export function parseParallelPrimesSettings(settings: unknown): ParallelPrimesSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(`exercises/parallel-primes/exercise.json settings are invalid: ${parsed.error.message}`);
  if (parsed.data.timing.maxRuns < parsed.data.timing.runs)
    throw new Error(
      'exercises/parallel-primes/exercise.json settings are invalid: timing.maxRuns < timing.runs',
    );
  return parsed.data;
}
