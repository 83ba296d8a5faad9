import type { ThreadReport, ThreadRunEvidence } from '../../grader-api';
import { runEvidence, threadReport } from '../../lib/testing/hand-made-evidence';
import type { LockThreadLedger } from '../lock-memory';
import type { LockPlan, LockRun } from '../lock-runs';

/** Hand-made reentrant-lock runs for the judges' unit specs: what the host would read back after a run. */

export function ledgerRow(overrides: Partial<LockThreadLedger> = {}): LockThreadLedger {
  return {
    rounds: 1,
    place: 'finished',
    depth: 0,
    acquires: 2,
    releases: 2,
    overlaps: 0,
    lockMs: 0,
    updates: 0,
    badRelease: 'not-tried',
    changed: null,
    ...overrides,
  };
}

export const PLANS = {
  nesting: { kind: 'nesting', lockIndex: null, maxDepth: 5 },
  hold: { kind: 'hold', waiters: 2, lockIndex: 3, depth: 3, holdMs: 200 },
  counting: { kind: 'counting', threads: 3, lockIndex: 2, rounds: 100_000, maxDepth: 3, maxMs: 100 },
  releaseNotHeld: { kind: 'release-not-held', lockIndex: 4, holdMs: 50 },
  twoLocks: { kind: 'two-locks', firstIndex: 1 },
} satisfies Record<string, LockPlan>;

export function lockRun(
  plan: LockPlan,
  rows: LockThreadLedger[],
  overrides: {
    threads?: ThreadReport[];
    evidence?: Partial<ThreadRunEvidence>;
    counter?: number;
    label?: string;
  } = {},
): LockRun {
  const threads = overrides.threads ?? rows.map((_, index) => threadReport(index));
  return {
    label: overrides.label ?? 'with 3 threads nesting 1 to 3 deep on run 1 of 2',
    plan,
    wallTimeMs: 3000,
    ledger: {
      counter: overrides.counter ?? rows.reduce((sum, row) => sum + row.updates, 0),
      ints: 2,
      threads: rows,
    },
    evidence: runEvidence(threads, overrides.evidence),
  };
}
