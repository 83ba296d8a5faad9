import type { CheckRecorder, ExerciseGrader, GraderContext, ThreadRunEvidence } from '../grader-api';
import { CheckTally, fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs, plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { randomInt } from '../lib/latency-plan';
import { describeFirstThrow } from '../lib/stopped-threads';
import { exploreCounting } from './controlled-counting';
import { judgeCountingFinished, judgeExclusion, judgeIncrementDecrement } from './counting-judges';
import { judgeExclusionWhileHeld, judgeHoldFinished, judgeWaitersSleep } from './hold-judges';
import { STATE_CELLS } from './mutex-memory';
import { runCounting, runHold, runTwoIndexes, type CountingPlan, type CountingRun } from './mutex-runs';
import { parseRaceFreeCounterSettings, type RaceFreeCounterSettings } from './race-free-counter-settings';
import { judgeIndependentIndexes } from './two-indexes-judge';

/**
 * race-free-counter: a Mutex over one Int32 cell. The grader starts the threads itself; each
 * builds its own Mutex over the same `state` and runs the grader's thread code (in-thread/). The
 * counter, the tally and the signals live in memory the Mutex never sees, and every verdict comes
 * from that memory and the host's evidence (CPU estimate, waits, where a stopped thread waits).
 */
class Grading {
  readonly tally: CheckTally;
  /** Every run that counts for finishes-in-time, for its summary. */
  private readonly finished: ThreadRunEvidence[] = [];

  constructor(
    readonly ctx: GraderContext,
    readonly settings: RaceFreeCounterSettings,
    checks: CheckRecorder,
  ) {
    this.tally = new CheckTally(checks);
  }

  recordFinished(evidence: ThreadRunEvidence, verdict: Verdict): void {
    this.finished.push(evidence);
    this.tally.record('finishes-in-time', verdict);
  }

  finish(): void {
    const longest = Math.max(0, ...this.finished.map((evidence) => evidence.wallMs));
    this.tally.record(
      'finishes-in-time',
      pass(
        `all ${plural(this.finished.length, 'run')} finished; the longest took ${formatMs(Math.round(longest))}`,
      ),
    );
    this.tally.finish();
  }
}

/**
 * First of all: short runs under the controlled scheduler find a lost update, two holders at once,
 * or a lost wake-up's deadlock exactly, with the schedule that replays it. The real-parallel runs
 * after it look for what only real hardware shows, and measure sleeping.
 */
async function checkControlled(grading: Grading): Promise<void> {
  const { threads, rounds, runs } = grading.settings.controlled;
  const mutexIndex = randomInt(grading.ctx.random('controlled-index'), 0, STATE_CELLS - 1);
  const result = await exploreCounting(grading.ctx, { threads, rounds, runs, mutexIndex });
  if (result.finishes) grading.tally.record('finishes-in-time', result.finishes);
  const explored = `${plural(result.runs, 'controlled run')} (${plural(result.increments, 'increment')}) exact`;
  grading.tally.record('exclusion', result.exclusion ?? pass(explored));
}

/**
 * Then, because it catches the commonest mistakes at once and for sure: a lock that lets a second
 * thread in while thread 1 holds it, and waiters that are never woken.
 */
async function checkWaitersSleep(grading: Grading): Promise<void> {
  const { waiters, holdMs, attempts, wallTimeMs, maxCpuShare, maxWaits } = grading.settings.waitersSleep;
  const mutexIndex = randomInt(grading.ctx.random('hold-index'), 0, STATE_CELLS - 1);
  const label = `with thread 1 holding the lock for ${formatMs(holdMs)} and ${plural(waiters, 'thread')} waiting`;
  let verdict: Verdict = fail('not measured');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const run = await runHold(grading.ctx, { label, waiters, holdMs, mutexIndex, wallTimeMs });
    grading.tally.record('exclusion', judgeExclusionWhileHeld(run));
    grading.recordFinished(run.evidence, judgeHoldFinished(run));
    verdict = judgeWaitersSleep(run, { maxCpuShare, maxWaits });
    // The CPU estimate counts time a thread was ready but had no core: on a busy host, measure again.
    // Nothing else is noise: a run that did not complete, or a thread that threw, would do so again.
    const measuredOnly = run.evidence.status === 'completed' && describeFirstThrow(run.evidence) === null;
    if (verdict.passed || !measuredOnly) break;
    if (attempt === attempts && attempts > 1)
      verdict = fail(`${verdict.message} (the same on each of ${plural(attempts, 'run')})`);
  }
  grading.tally.record('waiters-sleep', verdict);
}

/**
 * Counting runs one after another. A run that did not finish has failed finishes-in-time already
 * and would most likely hang again: the series skips the rest of the runs with that many threads.
 */
async function countingSeries(
  grading: Grading,
  plans: CountingPlan[],
  judge: (run: CountingRun) => void,
): Promise<{ runs: CountingRun[]; skipped: number }> {
  const runs: CountingRun[] = [];
  const hanging = new Set<number>();
  for (const plan of plans) {
    if (hanging.has(plan.threads)) continue;
    const run = await runCounting(grading.ctx, plan);
    runs.push(run);
    judge(run);
    if (run.evidence.status !== 'completed') hanging.add(plan.threads);
  }
  return { runs, skipped: plans.length - runs.length };
}

function skippedNote(skipped: number): string {
  return skipped === 0 ? '' : ` (${plural(skipped, 'more run')} skipped after runs that did not finish)`;
}

function updatesIn(runs: readonly CountingRun[]): number {
  return runs.reduce((sum, run) => sum + run.tally.reduce((rounds, thread) => rounds + thread.rounds, 0), 0);
}

/**
 * With no round finished nothing was counted, so nothing could be lost: a lock that never lets
 * anyone in must not pass on that (the runs that did not finish fail finishes-in-time as well).
 */
function nothingCounted(runs: readonly CountingRun[], skipped: number): Verdict {
  return fail(
    `could not be checked: no thread got through a single round of lock(), update, unlock() in ` +
      `${plural(runs.length, 'run')}${skippedNote(skipped)}`,
  );
}

async function checkExclusion(grading: Grading): Promise<void> {
  const { threadCounts, runsPerThreadCount, rounds, maxMs, wallTimeMs } = grading.settings.exclusion;
  const plans = threadCounts.flatMap((threads) =>
    Array.from({ length: runsPerThreadCount }, (_, run) => ({
      label: `with ${threads} threads on run ${run + 1} of ${runsPerThreadCount}`,
      threads,
      rounds,
      maxMs,
      wallTimeMs,
      mutexIndex: null,
      alternate: false,
    })),
  );
  const { runs, skipped } = await countingSeries(grading, plans, (run) => {
    grading.tally.record('exclusion', judgeExclusion(run));
    grading.recordFinished(run.evidence, judgeCountingFinished(run));
  });
  if (updatesIn(runs) === 0) grading.tally.record('exclusion', nothingCounted(runs, skipped));
  grading.tally.record(
    'exclusion',
    pass(
      `${plural(updatesIn(runs), 'increment')} in ${plural(runs.length, 'run')} with ${threadCounts.join(', ')} threads, ` +
        `none lost${skippedNote(skipped)}; no lock() returned while another thread held the lock`,
    ),
  );
}

async function checkIncrementDecrement(grading: Grading): Promise<void> {
  const { threads, runs, rounds, maxMs, wallTimeMs } = grading.settings.incrementDecrement;
  const plans = Array.from({ length: runs }, (_, run) => ({
    label: `with ${threads} threads on run ${run + 1} of ${runs}`,
    threads,
    rounds,
    maxMs,
    wallTimeMs,
    mutexIndex: 0,
    alternate: true,
  }));
  const { runs: done, skipped } = await countingSeries(grading, plans, (run) => {
    grading.tally.record('increment-decrement', judgeIncrementDecrement(run));
    grading.recordFinished(run.evidence, judgeCountingFinished(run));
  });
  if (updatesIn(done) === 0) grading.tally.record('increment-decrement', nothingCounted(done, skipped));
  grading.tally.record(
    'increment-decrement',
    pass(
      `${plural(updatesIn(done), 'update')} in ${plural(done.length, 'run')}${skippedNote(skipped)}, ` +
        'the counter back where it should be',
    ),
  );
}

async function checkIndependentIndexes(grading: Grading): Promise<void> {
  const random = grading.ctx.random('two-indexes');
  const first = randomInt(random, 0, STATE_CELLS - 1);
  const second = (first + randomInt(random, 1, STATE_CELLS - 1)) % STATE_CELLS;
  const { wallTimeMs } = grading.settings.independentIndexes;
  const run = await runTwoIndexes(grading.ctx, { indexes: [first, second], wallTimeMs });
  grading.tally.record('independent-indexes', judgeIndependentIndexes(run));
}

/**
 * Hidden: controlled runs with a random number of threads, more rounds and the mutex at a random
 * index. Controlled, so that regrading gives the same verdict: a real-thread run here could lose
 * an update on one grading and not on the next.
 */
async function checkLargeRandom(grading: Grading): Promise<Verdict> {
  const { threads, rounds, runs } = grading.settings.largeRandom;
  const random = grading.ctx.random('large-random');
  const count = randomInt(random, threads.min, threads.max);
  const mutexIndex = randomInt(random, 1, STATE_CELLS - 1);
  const result = await exploreCounting(grading.ctx, { threads: count, rounds, runs, mutexIndex });
  const problem = result.exclusion ?? result.finishes;
  return problem ? fail(`mutex at index ${mutexIndex}: ${problem.message}`) : pass();
}

const raceFreeCounterGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const grading = new Grading(ctx, parseRaceFreeCounterSettings(ctx.settings), checks);
    await checkControlled(grading);
    await checkWaitersSleep(grading);
    await checkExclusion(grading);
    await checkIncrementDecrement(grading);
    await checkIndependentIndexes(grading);
    grading.finish();

    await gradeHiddenCheck(ctx, checks, 'large-random', () => checkLargeRandom(grading));
  },
};

export default raceFreeCounterGrader;
