import type { ThreadReport, WaitSite } from '../grader-api';
import { formatCount } from '../lib/format';
import { describeStoppedThread, describeWaitSite } from '../lib/stopped-threads';
import type { ThreadTally } from './mutex-memory';

/**
 * What a stopped thread was doing, in the student's terms: where it was according to the grader's
 * tally (in lock(), in unlock(), ...), and what it waited for. A wait on one of the grader's own
 * signal cells is said in words by `describeSignal` (the cell numbers mean nothing to a student).
 */
export function whereabouts(tally: ThreadTally, countRounds: boolean): string {
  const round = countRounds ? ` (round ${formatCount(tally.rounds + 1)})` : '';
  switch (tally.place) {
    case 'in lock()':
    case 'in unlock()':
      return `${tally.place}${round}`;
    case 'holding the lock':
      return `while holding the lock${round}`;
    case 'between rounds':
      return countRounds
        ? `between rounds (${formatCount(tally.rounds)} done)`
        : 'outside lock() and unlock()';
    case 'not started':
      return 'before its first lock()';
    case 'finished':
      return 'after its last unlock()';
  }
}

export function describeMutexThread(
  thread: ThreadReport,
  tally: readonly ThreadTally[],
  options: { countRounds: boolean; describeSignal?: (site: WaitSite) => string | null },
): string {
  const mine = tally[thread.index];
  const where = mine ? whereabouts(mine, options.countRounds) : '';
  const site = thread.waitingOn;
  if (site?.buffer === 'signals') {
    const said = options.describeSignal?.(site);
    return `thread ${thread.threadId} still blocked ${where}: ${said ?? describeWaitSite(site)}`;
  }
  return describeStoppedThread(thread, where);
}
