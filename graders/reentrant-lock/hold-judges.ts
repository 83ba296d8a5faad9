import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs } from '../lib/format';
import { judgeSleepingThreads, type SleepLimits } from '../lib/sleeping-threads';
import { describeLockThrow } from './lock-whereabouts';
import type { LockRun } from './lock-runs';

/**
 * Thread 1 (index 0) holds the lock `depth` deep for `holdMs`, dropping to one level half-way; the
 * other threads call acquire() meanwhile. Judged from the grader's ledger and the host's evidence.
 */
function holdOf(run: LockRun) {
  if (run.plan.kind !== 'hold') throw new Error('the hold judges judge hold runs');
  return run.plan;
}

function waitersOf(run: LockRun) {
  return run.evidence.threads.filter((thread) => thread.index > 0);
}

/** No waiter's acquire() returns before thread 1 has begun its last release(). */
export function judgeHoldExclusion(run: LockRun): Verdict {
  const { depth } = holdOf(run);
  const early = waitersOf(run).find((waiter) => run.ledger.threads[waiter.index].overlaps > 0);
  if (early === undefined) return pass();
  return fail(
    `thread ${early.threadId}'s acquire() returned while thread 1 still held the lock: thread 1 had acquired it ` +
      `${depth} times and had not yet begun the last of its ${depth} release() calls`,
  );
}

export function judgeHoldWaitersSleep(run: LockRun, limits: SleepLimits): Verdict {
  const { depth, holdMs } = holdOf(run);
  const thrown = describeLockThrow(run);
  if (thrown) return fail(`${thrown} ${run.label}`);
  const holder = run.ledger.threads[0];
  if (holder.acquires < depth)
    return fail(
      `could not be checked: thread 1 did not get to hold the lock ${depth} times in a row (its acquire() did not return), so no thread had to wait`,
    );
  return judgeSleepingThreads(
    waitersOf(run),
    { waitingIn: 'in acquire()', during: `thread 1 held the lock for ${formatMs(holdMs)}`, waitedMs: holdMs },
    limits,
  );
}
