import type { CheckRecorder, ExerciseGrader, GraderContext } from '../grader-api';
import { CheckTally, fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs, plural } from '../lib/format';
import { busyEnoughToRepeat, MAX_BUSY_REPEATS } from '../lib/busy-machine';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { randomInt } from '../lib/latency-plan';
import { checkControlled, exploreLargeRandom } from './controlled-checks';
import { judgeCountingExclusion, judgeLockRunFinished, updatesIn } from './counting-judges';
import { judgeHoldExclusion, judgeHoldWaitersSleep } from './hold-judges';
import { MAX_LOCK_INDEX } from './lock-memory';
import { runLock, type LockRun, type PlannedLockRun } from './lock-runs';
import { judgeNesting } from './nesting-judge';
import { judgeReleaseNotHeld } from './release-not-held-judge';
import { parseReentrantLockSettings, type ReentrantLockSettings } from './reentrant-lock-settings';
import { judgeIndependentLocks } from './two-locks-judge';

/**
 * reentrant-lock: a ReentrantLock over INTS cells of shared memory. The grader starts the threads
 * itself; each builds its own lock over the same `state` and runs the grader's thread code
 * (in-thread/). The counter, the ledger and the signals live in memory the lock never sees, and
 * every verdict comes from that memory and the host's evidence.
 */
class Grading {
  readonly tally: CheckTally;
  /** Every run that counts for finishes-in-time, for its summary. */
  private readonly finished: LockRun[] = [];
  /** Runs that did not finish after the lock had failed otherwise: not judged (judgeLockRunFinished). */
  private stoppedAfterFailure = 0;

  constructor(
    readonly ctx: GraderContext,
    readonly settings: ReentrantLockSettings,
    checks: CheckRecorder,
  ) {
    this.tally = new CheckTally(checks);
  }

  lockIndex(stream: string, min = 0): number {
    return randomInt(this.ctx.random(stream), min, MAX_LOCK_INDEX);
  }

  async run(planned: PlannedLockRun): Promise<LockRun> {
    const run = await runLock(this.ctx, planned);
    this.finished.push(run);
    const verdict = judgeLockRunFinished(run);
    if (verdict) this.tally.record('finishes-in-time', verdict);
    else this.stoppedAfterFailure++;
    return run;
  }

  finish(): void {
    const longest = Math.max(0, ...this.finished.map((run) => run.evidence.wallMs));
    const runs = plural(this.finished.length, 'run');
    const which =
      this.stoppedAfterFailure === 0
        ? `all ${runs} finished`
        : `${this.finished.length - this.stoppedAfterFailure} of ${runs} finished, the others stopped after a thread threw or two were inside at once`;
    this.tally.record(
      'finishes-in-time',
      pass(`${which}; the longest took ${formatMs(Math.round(longest))}`),
    );
    this.tally.finish();
  }
}

/** Then: a lock that lets a waiter in while the holder is still one level deep shows at once and for sure. */
async function checkWaitersSleep(grading: Grading): Promise<void> {
  const { waiters, depth, holdMs, attempts, wallTimeMs, maxCpuShare, maxWaits } =
    grading.settings.waitersSleep;
  const label = `with thread 1 holding the lock ${depth} deep for ${formatMs(holdMs)} and ${plural(waiters, 'thread')} waiting`;
  const plan = { kind: 'hold' as const, waiters, depth, holdMs, lockIndex: grading.lockIndex('hold-index') };
  let verdict: Verdict = fail('not measured');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const run = await grading.run({ label, plan, wallTimeMs });
    grading.tally.record('exclusion', judgeHoldExclusion(run));
    verdict = judgeHoldWaitersSleep(run, { maxCpuShare, maxWaits });
    // The CPU estimate counts time a thread was ready but had no core: on a busy host, measure again.
    // Nothing else is noise: a run that did not complete, or a thread that threw, would do so again.
    const measuredOnly =
      run.evidence.status === 'completed' && run.evidence.threads.every((t) => t.end.kind !== 'threw');
    if (verdict.passed || !measuredOnly) break;
    if (attempt === attempts && attempts > 1)
      verdict = fail(`${verdict.message} (the same on each of ${plural(attempts, 'run')})`);
  }
  grading.tally.record('waiters-sleep', verdict);
}

async function checkNesting(grading: Grading): Promise<void> {
  const { maxDepth, wallTimeMs } = grading.settings.nesting;
  const label = `while thread 1 acquires the lock 1 to ${maxDepth} times in a row`;
  const run = await grading.run({ label, plan: { kind: 'nesting', lockIndex: null, maxDepth }, wallTimeMs });
  grading.tally.record('nested-acquisition', judgeNesting(run));
}

/**
 * Counting runs one after another. A run that did not finish has failed finishes-in-time already
 * and would most likely hang again: the series skips the rest of the runs with that many threads,
 * and every run after one stopped at its wall time. A run that showed no race on a busy machine
 * is run again (graders/lib/busy-machine.ts); a repeat can only add a failure it saw.
 */
async function countingSeries(grading: Grading, plans: PlannedLockRun[], judge: (run: LockRun) => Verdict) {
  const runs: LockRun[] = [];
  const hanging = new Set<number>();
  let timedOut = false;
  let skipped = 0;
  for (const planned of plans) {
    const threads = planned.plan.kind === 'counting' ? planned.plan.threads : 0;
    if (timedOut || hanging.has(threads)) {
      skipped++;
      continue;
    }
    let run = await grading.run(planned);
    runs.push(run);
    let verdict = judge(run);
    for (
      let repeat = 1;
      repeat <= MAX_BUSY_REPEATS && verdict.passed && busyEnoughToRepeat(run.evidence);
      repeat++
    ) {
      const label = `${planned.label}, run again on a busy machine (${repeat} of ${MAX_BUSY_REPEATS})`;
      run = await grading.run({ ...planned, label });
      runs.push(run);
      verdict = judge(run);
    }
    if (run.evidence.status !== 'completed') hanging.add(threads);
    timedOut ||= run.evidence.status === 'timeout';
  }
  return {
    runs,
    note: skipped === 0 ? '' : ` (${plural(skipped, 'more run')} skipped after runs that did not finish)`,
  };
}

async function checkExclusion(grading: Grading): Promise<void> {
  const {
    threadCounts,
    runsPerThreadCount: runs,
    rounds,
    maxDepth,
    maxMs,
    wallTimeMs,
  } = grading.settings.exclusion;
  const random = grading.ctx.random('exclusion-index');
  const plans = threadCounts.flatMap((threads, series) =>
    Array.from({ length: runs }, (_, run) => ({
      label: `with ${threads} threads nesting 1 to ${maxDepth} deep on run ${run + 1} of ${runs}`,
      plan: {
        kind: 'counting' as const,
        threads,
        lockIndex: series === 0 && run === 0 ? null : randomInt(random, 0, MAX_LOCK_INDEX),
        rounds,
        maxDepth,
        maxMs,
      },
      wallTimeMs,
    })),
  );
  const { runs: done, note } = await countingSeries(grading, plans, (run) => {
    const verdict = judgeCountingExclusion(run);
    grading.tally.record('exclusion', verdict);
    return verdict;
  });
  if (updatesIn(done) === 0)
    grading.tally.record(
      'exclusion',
      fail(
        `could not be checked: no thread got through a single round of acquire(), update, release()${note}`,
      ),
    );
  grading.tally.record(
    'exclusion',
    pass(
      `${plural(updatesIn(done), 'update')} under the lock in ${plural(done.length, 'run')} with ${threadCounts.join(', ')} threads, ` +
        `none lost${note}; no acquire() returned while another thread held the lock at any level`,
    ),
  );
}

async function checkReleaseNotHeld(grading: Grading): Promise<void> {
  const { holdMs, wallTimeMs } = grading.settings.releaseNotHeld;
  const plan = {
    kind: 'release-not-held' as const,
    holdMs,
    lockIndex: grading.lockIndex('release-index', 1),
  };
  const run = await grading.run({
    label: 'with release() called by threads that do not hold the lock',
    plan,
    wallTimeMs,
  });
  grading.tally.record('release-not-held', judgeReleaseNotHeld(run));
}

async function checkIndependentLocks(grading: Grading): Promise<void> {
  const plan = { kind: 'two-locks' as const, firstIndex: grading.lockIndex('two-locks-index') };
  const { wallTimeMs } = grading.settings.independentLocks;
  const run = await runLock(grading.ctx, { label: 'with two locks side by side', plan, wallTimeMs });
  grading.tally.record('independent-locks', judgeIndependentLocks(run));
}

/** Hidden: longer runs with more threads, deeper nesting and the lock at a random index; controlled ones first. */
async function checkLargeRandom(ctx: GraderContext, settings: ReentrantLockSettings): Promise<Verdict> {
  const { threads, runs, rounds, maxDepth, maxMs, wallTimeMs } = settings.largeRandom;
  const controlled = await exploreLargeRandom(ctx, settings.largeRandom);
  if (controlled) return controlled;
  const random = ctx.random('large-random');
  for (let run = 1; run <= runs; run++) {
    const count = randomInt(random, threads.min, threads.max);
    const lockIndex = randomInt(random, 1, MAX_LOCK_INDEX);
    const label = `with ${count} threads nesting 1 to ${maxDepth} deep, the lock at index ${lockIndex}, on run ${run} of ${runs}`;
    const plan = { kind: 'counting' as const, threads: count, lockIndex, rounds, maxDepth, maxMs };
    const done = await runLock(ctx, { label, plan, wallTimeMs });
    for (const verdict of [judgeCountingExclusion(done), judgeLockRunFinished(done)])
      if (verdict && !verdict.passed) return verdict;
  }
  return pass();
}

const reentrantLockGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const grading = new Grading(ctx, parseReentrantLockSettings(ctx.settings), checks);
    const releaseIndex = grading.lockIndex('controlled-release-index', 1);
    await checkControlled(ctx, grading.tally, grading.settings.controlled, releaseIndex);
    await checkWaitersSleep(grading);
    await checkNesting(grading);
    await checkExclusion(grading);
    await checkReleaseNotHeld(grading);
    await checkIndependentLocks(grading);
    grading.finish();

    await gradeHiddenCheck(ctx, checks, 'large-random', () => checkLargeRandom(ctx, grading.settings));
  },
};

export default reentrantLockGrader;
