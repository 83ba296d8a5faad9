import { fail, pass, type Verdict } from '../lib/check-tally';
import { describeUnfinishedRun } from '../lib/stopped-threads';
import type { LockThreadLedger } from './lock-memory';
import type { LockRun } from './lock-runs';
import { describeLockThread, describeLockThrow } from './lock-whereabouts';

/**
 * release() by a thread that does not hold the lock throws and changes nothing: thread 1 tries it
 * on the free lock, thread 2 while thread 1 holds the lock twice; then thread 2's acquire() must
 * wait for thread 1's two releases. From the grader's ledger: whether each call threw, the first
 * cell of the lock it changed, and whether thread 2 got in early.
 */
function describeBadRelease(row: LockThreadLedger, threadId: number, holder: string): string | null {
  const who = `release() by thread ${threadId}, which did not hold the lock (${holder}),`;
  const change = row.changed
    ? `state[${row.changed.cell}] from ${row.changed.from} to ${row.changed.to}`
    : null;
  if (row.badRelease === 'returned')
    return `${who} returned instead of throwing an Error${change ? ` (and changed ${change})` : ''}`;
  if (row.badRelease === 'threw' && change)
    return `${who} threw as it should, but changed ${change} first: a release() that throws must change nothing`;
  return null;
}

export function judgeReleaseNotHeld(run: LockRun): Verdict {
  const [first, second] = run.ledger.threads;
  const problem =
    describeBadRelease(first, 1, 'nobody did') ?? describeBadRelease(second, 2, 'thread 1 held it twice');
  if (problem) return fail(problem);
  if (second.overlaps > 0)
    return fail(
      "thread 2's acquire() returned while thread 1 still held the lock twice: thread 2's release() of a lock it did not hold freed it",
    );
  const thrown = describeLockThrow(run);
  if (thrown) return fail(`${thrown} ${run.label}`);
  const unfinished = describeUnfinishedRun(run.evidence, run.label, (thread) =>
    describeLockThread(run, thread),
  );
  if (unfinished) return fail(unfinished);
  if (first.badRelease === 'not-tried' || second.badRelease === 'not-tried')
    return fail(
      'could not be checked: a thread did not get as far as its release() of a lock it did not hold',
    );
  return pass(
    'release() by a thread that did not hold the lock threw and changed nothing, with the lock free and with it held by another thread',
  );
}
