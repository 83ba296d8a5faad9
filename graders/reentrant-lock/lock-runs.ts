import type { ThreadCode, ThreadGraderContext, ThreadRunEvidence } from '../grader-api';
import { countingThreadCode } from './in-thread/counting-thread-code';
import { holdThreadCode } from './in-thread/hold-thread-code';
import { nestingThreadCode } from './in-thread/nesting-thread-code';
import { releaseNotHeldThreadCode } from './in-thread/release-not-held-thread-code';
import { twoLocksThreadCode } from './in-thread/two-locks-thread-code';
import { allocateLockRun, readLockLedger, type LockLedger } from './lock-memory';

/**
 * The five kinds of run, each as plan in and record out: the grader allocates the memory, starts
 * the threads, and reads back its own ledger beside the host's evidence. Nothing the submission
 * returns is kept; the judges take a LockRun whoever scheduled the threads.
 */
export type LockPlan =
  | {
      kind: 'counting';
      threads: number;
      /** null: the lock is built without an index (the default, 0). */
      lockIndex: number | null;
      rounds: number;
      maxDepth: number;
      maxMs: number;
    }
  | { kind: 'nesting'; lockIndex: number | null; maxDepth: number }
  | { kind: 'hold'; waiters: number; lockIndex: number; depth: number; holdMs: number }
  | { kind: 'release-not-held'; lockIndex: number; holdMs: number }
  | { kind: 'two-locks'; firstIndex: number };

export interface PlannedLockRun {
  /** How messages name the run: "with 3 threads on run 2 of 2". */
  label: string;
  plan: LockPlan;
  wallTimeMs: number;
}

export interface LockRun extends PlannedLockRun {
  ledger: LockLedger;
  evidence: ThreadRunEvidence;
}

export function threadsOf(plan: LockPlan): number {
  switch (plan.kind) {
    case 'counting':
      return plan.threads;
    case 'hold':
      return plan.waiters + 1;
    default:
      return 2;
  }
}

const CODES: Record<LockPlan['kind'], ThreadCode> = {
  counting: countingThreadCode,
  nesting: nestingThreadCode,
  hold: holdThreadCode,
  'release-not-held': releaseNotHeldThreadCode,
  'two-locks': twoLocksThreadCode,
};

export async function runLock(ctx: ThreadGraderContext, planned: PlannedLockRun): Promise<LockRun> {
  const threads = threadsOf(planned.plan);
  const memory = allocateLockRun(threads);
  const { kind: _kind, ...settings } = planned.plan;
  const evidence = await ctx.runThreads({
    label: planned.label,
    threads,
    code: CODES[planned.plan.kind],
    shared: { ...settings, ...memory },
    wallTimeMs: planned.wallTimeMs,
  });
  return { ...planned, ledger: readLockLedger(memory, threads), evidence };
}
