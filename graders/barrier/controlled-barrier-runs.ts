import type { ScheduleStrategy, ThreadGraderContext } from '../grader-api';
import type { Verdict } from '../lib/check-tally';
import {
  allocateControlledBarrier,
  readControlledBarrierLedger,
  type ControlledBarrierMemory,
} from './controlled-barrier-memory';
import {
  controlledLabel,
  judgeControlledBarrier,
  type BarrierCheck,
  type ControlledShape,
} from './controlled-barrier-judges';
import {
  controlledBarrierThreadCode,
  type ControlledBarrierShared,
} from './in-thread/controlled-barrier-thread-code';

export interface ControlledBarrierPlan extends ControlledShape {
  runs: number;
  /** Where the barrier starts in `state`. */
  index: number;
  strategies: ScheduleStrategy[];
  maxSteps: number;
  /** Runs stopped at the step limit after which the shape stops. */
  maxStoppedRuns: number;
  /** Real time for all the runs of this shape. */
  wallTimeMs: number;
}

/** Where the verdicts go (the grading's tally), and the checks that have failed so far. */
export interface VerdictSink {
  record(check: BarrierCheck, verdict: Verdict): void;
  readonly failed: ReadonlySet<string>;
}

const CHECKS: readonly BarrierCheck[] = [
  'waits-for-all',
  'one-true-per-round',
  'reusable',
  'finishes-in-time',
];

/** What the runs of one shape showed, beside the verdicts they recorded. */
export interface ControlledBarrierTotals {
  runs: number;
  completed: number;
  /** Runs stopped at the step limit or by real time: not judged on finishing. */
  stopped: number;
  /** Of those, runs where a thread computed for the run's real time without a step. */
  timeouts: number;
  /** Rounds every party returned from, over all runs. */
  rounds: number;
}

/**
 * Short runs of one shape under the controlled scheduler, each judged as it ends, every verdict
 * recorded (the first failure of a check is the message the student gets). Completed runs are cheap,
 * so exploring goes on while some check has not failed yet. A run that did not complete spends its
 * threads, and the next would need new ones: the shape stops at the first such run that failed a
 * check, after `maxStoppedRuns` runs stopped at the step limit (a barrier that spins that long is for
 * the real runs to measure), and at the first run a thread computed through without a step.
 */
export async function exploreBarrier(
  ctx: ThreadGraderContext,
  plan: ControlledBarrierPlan,
  sink: VerdictSink,
): Promise<ControlledBarrierTotals> {
  const totals: ControlledBarrierTotals = { runs: 0, completed: 0, stopped: 0, timeouts: 0, rounds: 0 };
  await ctx.explore({
    label: controlledLabel(plan),
    threads: plan.parties,
    code: controlledBarrierThreadCode,
    runs: plan.runs,
    strategies: plan.strategies,
    maxSteps: plan.maxSteps,
    wallTimeMs: plan.wallTimeMs,
    shared: (): ControlledBarrierShared & Record<string, unknown> => ({
      ...allocateControlledBarrier(plan.parties, plan.rounds),
      rounds: plan.rounds,
      index: plan.index,
    }),
    judge: (run, shared) => {
      const ledger = readControlledBarrierLedger(
        (shared as unknown as ControlledBarrierMemory).ledger,
        plan.parties,
      );
      totals.runs = run.run;
      if (run.status === 'completed') totals.completed++;
      if (run.status === 'step-limit' || run.status === 'timeout') totals.stopped++;
      if (run.status === 'timeout') totals.timeouts++;
      totals.rounds += ledger.truesPerRound.length;
      const verdicts = Object.entries(judgeControlledBarrier(run, plan, ledger)) as [BarrierCheck, Verdict][];
      for (const [check, verdict] of verdicts) sink.record(check, verdict);
      const failedHere = verdicts.some(([, verdict]) => !verdict.passed);
      return (
        (failedHere && run.status !== 'completed') ||
        run.status === 'timeout' ||
        totals.stopped >= plan.maxStoppedRuns ||
        CHECKS.every((check) => sink.failed.has(check))
      );
    },
  });
  return totals;
}

/** The totals of several shapes' explorations, added up. */
export function sumTotals(all: readonly ControlledBarrierTotals[]): ControlledBarrierTotals {
  const sum = (count: (totals: ControlledBarrierTotals) => number) =>
    all.reduce((added, totals) => added + count(totals), 0);
  return {
    runs: sum((totals) => totals.runs),
    completed: sum((totals) => totals.completed),
    stopped: sum((totals) => totals.stopped),
    timeouts: sum((totals) => totals.timeouts),
    rounds: sum((totals) => totals.rounds),
  };
}
