import type { ThreadReport } from '../grader-api';
import { formatMs, plural } from '../lib/format';
import { describeWaitSite } from '../lib/stopped-threads';
import type { PhilosopherPlace } from './table-memory';
import type { TableRun } from './table-runs';
import { findWaitCycle, waitEdge } from './wait-for-cycle';

/**
 * What the philosophers of a run that did not finish were doing, in the student's terms: which
 * fork each waits for and what became of its holder, from the grader's fork owners and the host's
 * evidence (where a thread was asleep, whether it returned or threw).
 */
const PLACE_WORDS: Record<PhilosopherPlace, string> = {
  notStarted: 'before its first call of acquire(), eat() or think()',
  outside: 'in its own code',
  acquiring: 'in acquire()',
  eating: 'in eat()',
  thinking: 'in think()',
  releasing: 'in release()',
  returned: 'after it returned',
};

function threadOf(run: TableRun, seat: number): ThreadReport | undefined {
  return run.evidence.threads.find((thread) => thread.index === seat);
}

function describeHolder(run: TableRun, holder: number): string {
  const end = threadOf(run, holder)?.end.kind;
  if (end === 'threw') return `, which philosopher ${holder} still held when it threw`;
  if (end === 'returned') return `, which philosopher ${holder} still held when it returned`;
  return `, which philosopher ${holder} holds`;
}

export function describeStoppedPhilosopher(run: TableRun, thread: ThreadReport): string {
  const seat = thread.index;
  const edge = waitEdge(run, seat);
  if (edge !== null) {
    if (edge.holder === seat)
      return `philosopher ${seat} waits in acquire(${edge.fork}) for a fork it holds itself`;
    return `philosopher ${seat} waits in acquire(${edge.fork}) for fork ${edge.fork}${describeHolder(run, edge.holder)}`;
  }
  const where = PLACE_WORDS[run.philosophers[seat]?.place ?? 'notStarted'];
  const site = thread.waitingOn;
  if (site === null) return `philosopher ${seat} still running ${where}, not asleep in Atomics.wait`;
  return `philosopher ${seat} still asleep ${where}: it ${describeWaitSite(site)}`;
}

/**
 * "deadlock after 130 ms with 5 seats: philosopher 3 waits in acquire(4) for fork 4, which
 * philosopher 4 still held when it threw"; null for a run that finished.
 */
export function describeUnfinishedTable(run: TableRun, maxPhilosophers = 3): string | null {
  const { status, wallMs } = run.evidence;
  if (status === 'completed') return null;
  const what = `${status === 'deadlock' ? 'deadlock' : 'not finished'} after ${formatMs(Math.round(wallMs))} ${run.plan.label}`;
  const cycle = findWaitCycle(run);
  if (cycle !== null && cycle.length > 1)
    return `${what}: ${plural(cycle.length, 'philosopher')} in a circle, each waiting for a fork the next one holds (see no-deadlock)`;
  const stopped = run.evidence.threads.filter((thread) => thread.end.kind === 'stopped');
  const described = stopped
    .slice(0, maxPhilosophers)
    .map((thread) => describeStoppedPhilosopher(run, thread));
  if (stopped.length > maxPhilosophers)
    described.push(`${plural(stopped.length - maxPhilosophers, 'more philosopher')} stopped`);
  return described.length === 0 ? what : `${what}: ${described.join('; ')}`;
}
