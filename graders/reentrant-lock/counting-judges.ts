import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, plural } from '../lib/format';
import { describeUnfinishedRun } from '../lib/stopped-threads';
import type { LockRun } from './lock-runs';
import { describeLockThread, describeLockThrow } from './lock-whereabouts';

/**
 * Counting runs: every thread nests acquire() 1 to maxDepth deep each round and updates the
 * grader's counter at every level. Each judge reads only what the host read back.
 */

/** Updates the threads counted; a thread stopped while holding the lock may have made one more. */
export function updateBounds(run: LockRun): { low: number; high: number } {
  let low = 0;
  let stoppedHolders = 0;
  for (const row of run.ledger.threads) {
    low += row.updates;
    if (row.place === 'holding' || row.place === 'releasing') stoppedHolders++;
  }
  return { low, high: low + stoppedHolders };
}

export function updatesIn(runs: readonly LockRun[]): number {
  return runs.reduce((sum, run) => sum + updateBounds(run).low, 0);
}

/**
 * Exclusion: no update lost, and never a second thread inside while one holds the lock at any
 * level. Two threads inside is named first, also when one of them then threw: that throw (a
 * release() that found the lock taken over, say) is usually its consequence.
 */
export function judgeCountingExclusion(run: LockRun): Verdict {
  const thrown = describeLockThrow(run);
  const then = thrown ? `; then ${thrown}` : '';
  const { low, high } = updateBounds(run);
  const overlaps = run.ledger.threads.reduce((sum, row) => sum + row.overlaps, 0);
  const inside = overlaps > 0 ? `two threads were inside at once (seen ${plural(overlaps, 'time')})` : '';
  const counter = run.ledger.counter;
  if (counter < low) {
    const lost = low - counter;
    const share = (Math.round((lost / low) * 1000) / 10).toFixed(1);
    return fail(
      `lost ${formatCount(lost)} of ${formatCount(low)} updates made while holding the lock (${share}%) ${run.label}` +
        (inside ? `; ${inside}` : '') +
        then,
    );
  }
  if (overlaps > 0) return fail(`${inside} ${run.label}${then}`);
  if (thrown) return fail(`${thrown} ${run.label}`);
  if (counter > high)
    return fail(
      `the counter ended at ${formatCount(counter)}, more than the ${formatCount(low)} updates the threads made ${run.label}`,
    );
  return pass();
}

/**
 * Every thread of the run returned or threw: no deadlock, none still running at the time limit.
 * A run in which the lock had already failed, a thread that threw or two threads inside at once,
 * is not judged (null): the others may be left waiting for a lock held by a thread that is gone
 * or that finished with its count gone wrong, and that failure fails the run's own check already.
 * Judging their wait as well would fail finishes-in-time only when the failure came at a bad moment.
 */
export function judgeLockRunFinished(run: LockRun): Verdict | null {
  const failedAlready = describeLockThrow(run) !== null || run.ledger.threads.some((row) => row.overlaps > 0);
  if (run.evidence.status !== 'completed' && failedAlready) return null;
  const unfinished = describeUnfinishedRun(run.evidence, run.label, (thread) =>
    describeLockThread(run, thread),
  );
  return unfinished ? fail(unfinished) : pass();
}
