import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs } from '../lib/format';
import { describeUnfinishedRun, describeWaitSite } from '../lib/stopped-threads';
import type { LockRun } from './lock-runs';
import { describeLockThread, describeLockThrow } from './lock-whereabouts';

/**
 * Two threads, two ReentrantLocks side by side in one array (at `firstIndex` and `firstIndex +
 * INTS`): each thread takes its own lock while the other thread holds the other one, both ways
 * round. If either acquire() cannot return, the locks are not independent, and the run ends in a
 * deadlock (or at its time limit, for a spinner).
 */
export function judgeIndependentLocks(run: LockRun): Verdict {
  if (run.plan.kind !== 'two-locks') throw new Error('judgeIndependentLocks judges two-locks runs');
  const ints = run.ledger.ints;
  const indexes = [run.plan.firstIndex, run.plan.firstIndex + ints];
  const named = `the locks at index ${indexes[0]} and ${indexes[1]} (INTS is ${ints})`;
  const thrown = describeLockThrow(run);
  if (thrown) return fail(`${thrown} (${named})`);
  if (run.evidence.status === 'completed') return pass(`${named} were each taken while the other was held`);

  const stuck = run.evidence.threads.find(
    (thread) => thread.end.kind === 'stopped' && run.ledger.threads[thread.index].place === 'acquiring',
  );
  if (stuck === undefined)
    return fail(
      describeUnfinishedRun(run.evidence, `with ${named}`, (thread) => describeLockThread(run, thread)) ??
        `the run with ${named} did not finish`,
    );
  const mine = indexes[stuck.index];
  const other = 1 - stuck.index;
  const otherHolds = run.ledger.threads[other].depth > 0;
  const whileOther = otherHolds
    ? `while thread ${other + 1} held the lock at index ${indexes[other]}`
    : `although thread ${other + 1} held no lock`;
  const site = stuck.waitingOn;
  const how = site === null ? 'it was still running there, not asleep' : `it ${describeWaitSite(site)}`;
  const ended = run.evidence.status === 'deadlock' ? 'deadlock' : 'stopped';
  return fail(
    `thread ${stuck.threadId}'s acquire() on the lock at index ${mine} did not return ${whileOther} ` +
      `(${ended} after ${formatMs(Math.round(run.evidence.wallMs))}): ${how}; a ReentrantLock must use only ` +
      `its INTS cells from state[index] on`,
  );
}
