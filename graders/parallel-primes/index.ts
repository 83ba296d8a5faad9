import type { ExerciseGrader, GraderContext, MainRunEvidence } from '../grader-api';
import { CheckTally } from '../lib/check-tally';
import { boundaryCases, smallCases, type CountCase } from './count-cases';
import { judgeCount, judgeWorkersStarted } from './count-judges';
import { parseParallelPrimesSettings, type TimingSettings } from './parallel-primes-settings';
import { PrimeTable } from './prime-table';
import { isDisturbed, type TimedRun } from './timed-runs';
import { judgeBalance, judgeParallel, judgeSpeedup } from './timing-judges';

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
    const run = (countCase: CountCase) =>
      ctx.runMain({ exportName: 'countPrimes', args: [countCase.limit, countCase.threads] });

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
    tally.finish();
  },
};

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
