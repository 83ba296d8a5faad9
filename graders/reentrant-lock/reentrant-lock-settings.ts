import { z } from 'zod';

/**
 * The `settings` of exercises/reentrant-lock/exercise.json. Counting runs are bounded by time as
 * well as by rounds, so a fair (FIFO) but slow lock does fewer rounds instead of running long.
 */
const wallTimeMs = z.number().int().min(500).max(20_000);
const countingRuns = z.object({
  /** Rounds per thread at most. */
  rounds: z.number().int().min(1).max(1_000_000),
  /** Each round nests acquire() 1 to maxDepth deep. */
  maxDepth: z.number().int().min(1).max(10),
  /** Each thread stops starting rounds this long after its first one. */
  maxMs: z.number().int().min(10).max(2000),
  wallTimeMs,
});

/** Short runs under the controlled scheduler: exact, replayable counterexamples. */
const controlledRounds = z.object({
  threads: z.number().int().min(2).max(8),
  rounds: z.number().int().min(1).max(10),
  /** Each round nests acquire() 1 to maxDepth deep; at least 2, so that holders take the lock again. */
  maxDepth: z.number().int().min(2).max(5),
  runs: z.number().int().min(1).max(2000),
  /** Real time for all the runs; exploring stops when it passes (not a failure), so keep it far above what they take. */
  wallTimeMs: z.number().int().min(500).max(10_000),
});

const settingsSchema = z
  .object({
    controlled: z.object({
      /** Nested rounds: exclusion at every level, nested acquisition, deadlocks. */
      nestedRounds: controlledRounds,
      /** The same rounds, each thread also calling release() once while it holds nothing. */
      unheldReleases: controlledRounds,
    }),
    nesting: z.object({ maxDepth: z.number().int().min(2).max(10), wallTimeMs }),
    exclusion: countingRuns.extend({
      threadCounts: z.array(z.number().int().min(2).max(16)).min(1),
      runsPerThreadCount: z.number().int().min(1).max(10),
    }),
    waitersSleep: z.object({
      waiters: z.number().int().min(1).max(8),
      /** How deep thread 1 holds the lock; it drops to one level half-way through the hold. */
      depth: z.number().int().min(2).max(10),
      holdMs: z.number().int().min(50).max(2000),
      /** A waiter may use at most this share of the hold as CPU (the estimate counts time preempted). */
      maxCpuShare: z.number().gt(0).lt(1),
      /** More returns from Atomics.wait than this while the lock is held is a spin through `not-equal`. */
      maxWaits: z.number().int().min(10),
      /** A waiter over its CPU share on a completed run is measured again, up to this many runs in all. */
      attempts: z.number().int().min(1).max(5),
      wallTimeMs,
    }),
    releaseNotHeld: z.object({ holdMs: z.number().int().min(10).max(1000), wallTimeMs }),
    independentLocks: z.object({ wallTimeMs }),
    largeRandom: countingRuns.extend({
      threads: z.object({ min: z.number().int().min(2), max: z.number().int().max(16) }),
      runs: z.number().int().min(1).max(10),
      /** First, controlled runs with as many threads, nesting as deep, the lock at a random index. */
      controlled: controlledRounds.pick({ rounds: true, runs: true, wallTimeMs: true }),
    }),
  })
  .refine((s) => s.largeRandom.threads.min <= s.largeRandom.threads.max, 'largeRandom.threads: min > max')
  .refine(
    (s) => s.waitersSleep.wallTimeMs > 2 * s.waitersSleep.holdMs,
    'waitersSleep.wallTimeMs must leave room for the hold and the hand-overs after it',
  );

export type ReentrantLockSettings = z.infer<typeof settingsSchema>;

export function parseReentrantLockSettings(settings: unknown): ReentrantLockSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success)
    throw new Error(`exercises/reentrant-lock/exercise.json settings are invalid: ${parsed.error.message}`);
  return parsed.data;
}
