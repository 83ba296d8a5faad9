import type { ExerciseGrader, GraderContext, MainRunEvidence } from '../grader-api';
import { CheckTally, fail } from '../lib/check-tally';
import { boundaryCases, smallCases, type CountCase } from './count-cases';
import { describeCall, judgeCount, judgeWorkersStarted } from './count-judges';
import {
  parseParallelPrimesSettings,
  type ParallelPrimesSettings,
  type TimingSettings,
} from './parallel-primes-settings';
import { PrimeTable } from './prime-table';
import { isDisturbed, type TimedRun } from './timed-runs';
import { judgeBalance, judgeParallel, judgeSpeedup } from './timing-judges';

/** The checks of exercises/parallel-primes/exercise.json, in its order. */
const CHECK_IDS = [
  'small-limits',
  'boundaries',
  'large-limit',
  'uses-workers',
  'parallel',
  'speedup',
  'balanced',
];

/**
 * A call that never settles costs its whole wall time (10 s), and one that hangs hangs again: after
 * this many, the remaining calls are not made, so such a submission gets its report with evidence
 * in about 20 s instead of a bare timeout at the exercise's limit.
 */
const MAX_UNSETTLED_CALLS = 2;

class TooManyUnsettledCalls extends Error {
  constructor(readonly calls: string[]) {
    super(`${calls.join(' and ')} never settled`);
  }
}

/**
 * parallel-primes: `countPrimes(limit, threads)` called on the submission's main thread, in real
 * time, where it starts its own worker threads. Exact counts (small limits, limits whose split
 * points are prime, large limits), then the timed runs: 1 thread against k, k being the cores the
 * pool reserved for this grading (exercise.json `limits.dedicatedCores`).
 */
const parallelPrimesGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const startedAt = Date.now();
    const settings = parseParallelPrimesSettings(ctx.settings);
    const { timing } = settings;
    const table = new PrimeTable(
      Math.max(timing.limit, settings.largeLimit, settings.boundaries.searchTo, ...settings.smallLimits),
    );
    const tally = new CheckTally(checks);
    const unsettled: string[] = [];
    const run = async (countCase: CountCase) => {
      if (unsettled.length >= MAX_UNSETTLED_CALLS) throw new TooManyUnsettledCalls(unsettled);
      const evidence = await ctx.runMain({
        exportName: 'countPrimes',
        args: [countCase.limit, countCase.threads],
      });
      if (evidence.result.kind === 'timeout') unsettled.push(describeCall(countCase));
      return evidence;
    };
    try {
      await gradeCalls(ctx, settings, table, tally, run, startedAt);
    } catch (error) {
      if (!(error instanceof TooManyUnsettledCalls)) throw error;
      for (const id of CHECK_IDS)
        tally.record(
          id,
          fail(`not checked: ${error.calls.join(' and ')} never settled, so no further call was made`),
        );
    }
    tally.finish();
  },
};

/** Every call, in order: exact counts first, then the timed runs. */
async function gradeCalls(
  ctx: GraderContext,
  settings: ParallelPrimesSettings,
  table: PrimeTable,
  tally: CheckTally,
  run: (countCase: CountCase) => Promise<MainRunEvidence>,
  startedAt: number,
): Promise<void> {
  const { timing } = settings;
  for (const countCase of smallCases(settings))
    tally.record('small-limits', judgeCount(countCase, await run(countCase), table));

  const spread = [
    ...boundaryCases(table, ctx.random('boundaries'), settings).map((c) => ({ check: 'boundaries', ...c })),
    ...settings.threads
      .filter((threads) => threads >= 3)
      .map((threads) => ({ check: 'large-limit', limit: settings.largeLimit, threads })),
  ];
  for (const { check, ...countCase } of spread) {
    const evidence = await run(countCase);
    tally.record(check, judgeCount(countCase, evidence, table));
    tally.record('uses-workers', judgeWorkersStarted(countCase, evidence));
  }

  const dedicated = ctx.dedicatedCores;
  const timedThreads = Math.max(2, dedicated);
  const runs = await timedRuns(ctx, dedicated, timedThreads, timing, startedAt);
  for (const { threads, evidence } of runs) {
    const countCase = { limit: timing.limit, threads };
    tally.record('large-limit', judgeCount(countCase, evidence, table));
    tally.record('uses-workers', judgeWorkersStarted(countCase, evidence));
  }
  tally.record('parallel', judgeParallel(runs, timedThreads));
  tally.record('speedup', judgeSpeedup(runs, dedicated, timing));
  tally.record('balanced', judgeBalance(runs, timedThreads, dedicated, timing));
}

/**
 * 1 thread and k threads alternating (so a slow spell of the machine hits both alike) until each
 * has `timing.runs` undisturbed runs, at most `timing.maxRuns` rounds and no new round once the
 * grading has taken `timing.budgetMs`. Without 2 dedicated cores
 * there is no speedup to measure: only runs with `timedThreads` threads, for the other checks.
 */
async function timedRuns(
  ctx: GraderContext,
  dedicated: number,
  timedThreads: number,
  timing: TimingSettings,
  gradingStartedAt: number,
): Promise<TimedRun[]> {
  const counts = dedicated >= 2 ? [1, dedicated] : [timedThreads];
  const runs: TimedRun[] = [];
  const calmRuns = (threads: number) =>
    runs.filter(
      (run) =>
        run.threads === threads &&
        run.evidence.result.kind === 'resolved' &&
        !isDisturbed(run.evidence, dedicated, timing.disturbedShare),
    ).length;
  for (let round = 0; round < timing.maxRuns; round++) {
    for (const threads of round % 2 === 0 ? counts : [...counts].reverse()) {
      const evidence: MainRunEvidence = await ctx.runMain({
        exportName: 'countPrimes',
        args: [timing.limit, threads],
      });
      runs.push({ threads, evidence });
      // A run that did not finish will not finish next time either: keep the time budget.
      if (evidence.result.kind !== 'resolved') return runs;
    }
    if (counts.every((threads) => calmRuns(threads) >= timing.runs)) break;
    // On a very busy machine, stop retrying well before the grading's time limit.
    if (Date.now() - gradingStartedAt > timing.budgetMs) break;
  }
  return runs;
}

export default parallelPrimesGrader;
