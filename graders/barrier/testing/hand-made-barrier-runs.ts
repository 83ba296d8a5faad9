import type { ThreadReport, ThreadRunEvidence } from '../../grader-api';
import { runEvidence, threadReport } from '../../lib/testing/hand-made-evidence';
import type { BarrierThreadLedger } from '../barrier-memory';
import type { BarrierPlan } from '../barrier-plan';
import type { BarrierRun } from '../barrier-runs';

/** Hand-made barrier runs for the judges' unit specs: what the host would read back after a run. */

export function barrierRow(overrides: Partial<BarrierThreadLedger> = {}): BarrierThreadLedger {
  return { rounds: 400, place: 'finished', early: null, odd: null, ...overrides };
}

export function roundsPlan(parties: number, overrides: Partial<BarrierPlan> = {}): BarrierPlan {
  return {
    label: `with ${parties} parties`,
    parties,
    rounds: 400,
    index: null,
    latecomerMs: 0,
    pauseChance: 0.2,
    pauseMs: { minMs: 0, maxMs: 1 },
    maxMs: 400,
    seeds: Array.from({ length: parties }, (_, thread) => thread + 7),
    wallTimeMs: 4000,
    ...overrides,
  };
}

export function latecomerPlan(parties: number): BarrierPlan {
  return roundsPlan(parties, {
    label: `with ${parties} parties, one of them late`,
    rounds: 1,
    latecomerMs: 150,
    pauseChance: 0,
  });
}

/** A run of `plan` where every thread did every round, each with exactly one true, unless told otherwise. */
export function barrierRun(
  plan: BarrierPlan,
  overrides: {
    rows?: BarrierThreadLedger[];
    truesPerRound?: number[];
    threads?: ThreadReport[];
    evidence?: Partial<ThreadRunEvidence>;
  } = {},
): BarrierRun {
  const rows =
    overrides.rows ?? Array.from({ length: plan.parties }, () => barrierRow({ rounds: plan.rounds }));
  const completed = Math.min(...rows.map((row) => row.rounds));
  return {
    plan,
    ledger: {
      ints: 2,
      truesPerRound: overrides.truesPerRound ?? Array.from({ length: completed }, () => 1),
      threads: rows,
    },
    evidence: runEvidence(
      overrides.threads ?? rows.map((_, index) => threadReport(index)),
      overrides.evidence,
    ),
  };
}
