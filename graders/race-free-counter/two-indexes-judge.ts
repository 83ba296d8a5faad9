import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs } from '../lib/format';
import { describeFirstThrow, describeUnfinishedRun, describeWaitSite } from '../lib/stopped-threads';
import type { TwoIndexesRun } from './mutex-runs';
import { describeMutexThread } from './thread-whereabouts';

/**
 * Two threads, two Mutexes at different indexes of one array: each thread takes its own lock while
 * the other thread holds the other one (both ways round). If either lock() cannot return, the two
 * locks are not independent, and the run ends in a deadlock (or at its time limit, for a spinner).
 */
export function judgeIndependentIndexes(run: TwoIndexesRun): Verdict {
  const [first, second] = run.indexes;
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} (mutexes at index ${first} and ${second})`);
  if (run.evidence.status === 'completed')
    return pass(`the mutexes at index ${first} and ${second} were each taken while the other was held`);

  const stuck = run.evidence.threads.find(
    (thread) => thread.end.kind === 'stopped' && run.tally[thread.index].place === 'in lock()',
  );
  if (stuck === undefined) {
    const label = `with mutexes at index ${first} and ${second}`;
    const unfinished = describeUnfinishedRun(run.evidence, label, (thread) =>
      describeMutexThread(thread, run.tally, { countRounds: false }),
    );
    return fail(unfinished ?? `the run ${label} did not finish`);
  }
  const mine = run.indexes[stuck.index];
  const other = 1 - stuck.index;
  const theirs = run.indexes[other];
  const otherHeld = run.tally[other].place === 'holding the lock';
  const whileOther = otherHeld
    ? `while thread ${other + 1} held the mutex at index ${theirs}`
    : `although thread ${other + 1} held no lock`;
  const hint = otherHeld
    ? 'a Mutex must use state[index] only'
    : `nobody held the mutex at index ${mine}, so it should have been free`;
  const site = stuck.waitingOn;
  const how =
    site === null
      ? 'it was still running there, not asleep'
      : `it ${describeWaitSite(site)}` +
        (site.buffer === 'state' && site.index !== mine ? `, a cell that is not state[${mine}]` : '');
  const ended = run.evidence.status === 'deadlock' ? 'deadlock' : 'stopped';
  return fail(
    `thread ${stuck.threadId}'s lock() on the mutex at index ${mine} did not return ${whileOther} ` +
      `(${ended} after ${formatMs(Math.round(run.evidence.wallMs))}): ${how}; ${hint}`,
  );
}
