import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, plural } from '../lib/format';
import { describeFirstThrow, describeUnfinishedRun } from '../lib/stopped-threads';
import type { ThreadTally } from './mutex-memory';
import type { CountingRun } from './mutex-runs';
import { describeMutexThread } from './thread-whereabouts';

/** Each judge reads only what the host read back: the grader's counter and tally, and the run's evidence. */

/** +1 or -1: what thread `index` adds in `round` (0-based); in the pair, odd threads subtract first. */
export function stepOf(run: Pick<CountingRun, 'alternate'>, index: number, round: number): 1 | -1 {
  if (!run.alternate) return 1;
  return (index + round) % 2 === 0 ? 1 : -1;
}

/** What `rounds` finished rounds of thread `index` added in all. */
function sumOfSteps(run: Pick<CountingRun, 'alternate'>, index: number, rounds: number): number {
  return run.alternate ? (rounds % 2 === 0 ? 0 : stepOf(run, index, 0)) : rounds;
}

export interface CountingBounds {
  /** Where the counter must end, given the rounds each thread finished; low < high only for a stopped run. */
  low: number;
  high: number;
  /** Updates the finished rounds made (added and subtracted). */
  updates: number;
}

/**
 * A finished round changed the counter by its thread's step. A thread stopped while holding the
 * lock or in unlock() may or may not have made its update (or counted its round) yet: that one
 * update is allowed either way.
 */
export function countingBounds(run: Pick<CountingRun, 'alternate' | 'tally'>): CountingBounds {
  let low = 0;
  let high = 0;
  let updates = 0;
  run.tally.forEach((thread: ThreadTally, index) => {
    const done = sumOfSteps(run, index, thread.rounds);
    const step = stepOf(run, index, thread.rounds);
    low += done;
    high += done;
    updates += thread.rounds;
    if (thread.place === 'holding the lock' || thread.place === 'in unlock()') {
      if (step > 0) high += step;
      else low += step;
    }
  });
  return { low, high, updates };
}

function totalOverlaps(tally: readonly ThreadTally[]): number {
  return tally.reduce((sum, thread) => sum + thread.overlaps, 0);
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '' : ` (${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%)`;
}

function unfinishedNote(run: CountingRun): string {
  return run.evidence.status === 'completed'
    ? ''
    : ' (counted over the rounds that finished before the run was stopped)';
}

function overlapsSentence(overlaps: number): string {
  return `a thread got into the critical section while another was still inside ${plural(overlaps, 'time')}`;
}

/** Exclusion: every increment kept, and never two threads between lock() and unlock(). */
export function judgeExclusion(run: CountingRun): Verdict {
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} ${run.label}`);
  const { low, high, updates } = countingBounds(run);
  const overlaps = totalOverlaps(run.tally);
  const inside = overlaps > 0 ? `; ${overlapsSentence(overlaps)}` : '';
  if (run.counter < low) {
    const lost = low - run.counter;
    return fail(
      `lost ${formatCount(lost)} of ${formatCount(updates)} increments${percent(lost, updates)} ${run.label}${unfinishedNote(run)}${inside}`,
    );
  }
  if (run.counter > high) {
    return fail(
      `the counter ended at ${formatCount(run.counter)}, more than the ${formatCount(updates)} increments the threads made ${run.label}${inside}`,
    );
  }
  if (overlaps > 0)
    return fail(`${overlapsSentence(overlaps)} ${run.label} (no increment happened to be lost this time)`);
  return pass();
}

/**
 * Every thread adds 1 and subtracts 1 in turn, an even number of rounds: the counter ends at 0.
 * Lost additions and lost subtractions can cancel out, so two threads inside at once fail it too.
 */
export function judgeIncrementDecrement(run: CountingRun): Verdict {
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} ${run.label}`);
  const { low, high, updates } = countingBounds(run);
  const overlaps = totalOverlaps(run.tally);
  const expected = low === high ? formatCount(low) : `between ${formatCount(low)} and ${formatCount(high)}`;
  if (run.counter >= low && run.counter <= high) {
    if (overlaps === 0) return pass();
    return fail(
      `the counter ended at ${formatCount(run.counter)} as it should, but only by luck: ${overlapsSentence(overlaps)} ` +
        `${run.label}, and the updates lost cancelled out`,
    );
  }
  const inside = overlaps > 0 ? `; ${overlapsSentence(overlaps)}` : '';
  return fail(
    `the counter ended at ${formatCount(run.counter)} instead of ${expected} after each thread added 1 and subtracted 1 ` +
      `in turn (${formatCount(updates)} updates in all) ${run.label}${unfinishedNote(run)}${inside}`,
  );
}

/** Every thread of the run finished its rounds: none threw, no deadlock, none still running at the time limit. */
export function judgeCountingFinished(run: CountingRun): Verdict {
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} ${run.label}, so it did not finish its rounds`);
  const unfinished = describeUnfinishedRun(run.evidence, run.label, (thread) =>
    describeMutexThread(thread, run.tally, { countRounds: true }),
  );
  return unfinished ? fail(unfinished) : pass();
}
