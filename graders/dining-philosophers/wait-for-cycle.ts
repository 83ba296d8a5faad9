import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs } from '../lib/format';
import type { TableRun } from './table-runs';

/** Philosopher `philosopher` sleeps in acquire(fork) while philosopher `holder` holds that fork. */
export interface WaitEdge {
  philosopher: number;
  fork: number;
  holder: number;
}

function stoppedThread(run: TableRun, seat: number): boolean {
  return run.evidence.threads.some((thread) => thread.index === seat && thread.end.kind === 'stopped');
}

/** Who the stopped philosopher at `seat` waits for, from the grader's fork owners; null if nobody. */
export function waitEdge(run: TableRun, seat: number): WaitEdge | null {
  const fork = run.philosophers[seat]?.waitingFor ?? null;
  if (fork === null || !stoppedThread(run, seat)) return null;
  const holder = run.forkOwners[fork];
  return holder === null || holder === undefined ? null : { philosopher: seat, fork, holder };
}

/**
 * A circle of stopped philosophers each asleep in acquire() for a fork the next one holds, read
 * from the grader's own fork owners and waits; null when there is none. It starts at the lowest
 * seat in the circle. A philosopher waiting for a fork it holds itself is a circle of one.
 */
export function findWaitCycle(run: TableRun): WaitEdge[] | null {
  for (let start = 0; start < run.philosophers.length; start++) {
    const position = new Map<number, number>();
    const path: WaitEdge[] = [];
    let seat = start;
    while (!position.has(seat)) {
      const edge = waitEdge(run, seat);
      if (edge === null) break;
      position.set(seat, path.length);
      path.push(edge);
      seat = edge.holder;
    }
    if (!position.has(seat)) continue;
    const cycle = path.slice(position.get(seat));
    const lowest = cycle.reduce(
      (best, edge, at) => (edge.philosopher < cycle[best].philosopher ? at : best),
      0,
    );
    return [...cycle.slice(lowest), ...cycle.slice(0, lowest)];
  }
  return null;
}

/** "philosopher 0 holds fork 0 and waits for fork 1; philosopher 1 holds fork 1 and waits for fork 2; ..." */
export function describeCycle(cycle: readonly WaitEdge[]): string {
  if (cycle.length === 1) {
    const [{ philosopher, fork }] = cycle;
    return `philosopher ${philosopher} holds fork ${fork} and waits for fork ${fork}, which it holds itself: acquire() does not give a philosopher a fork it already holds`;
  }
  return cycle
    .map((edge, at) => {
      const held = cycle[(at + cycle.length - 1) % cycle.length].fork;
      return `philosopher ${edge.philosopher} holds fork ${held} and waits for fork ${edge.fork}`;
    })
    .join('; ');
}

/** Every philosopher of the table in the circle, each holding the fork of its own seat: all took that fork first. */
function everyoneTookTheSameSideFirst(run: TableRun, cycle: readonly WaitEdge[]): boolean {
  const seats = run.plan.seats;
  return cycle.length === seats && cycle.every((edge) => edge.fork === (edge.philosopher + 1) % seats);
}

/** The circle and why it closed: "philosopher 0 holds fork 0 and waits for fork 1; ... (every philosopher picked up ...)". */
export function explainCycle(run: TableRun, cycle: readonly WaitEdge[]): string {
  const why =
    cycle.length === 1
      ? ''
      : everyoneTookTheSameSideFirst(run, cycle)
        ? ' (every philosopher picked up fork `seat` first, so each one waits for its neighbour for ever)'
        : ' (each waits for a fork the next one holds, so none of them can ever eat)';
  return `${describeCycle(cycle)}${why}`;
}

/** No deadlock: no circle of philosophers each waiting for a fork the next one holds. */
export function judgeNoDeadlock(run: TableRun): Verdict {
  if (run.evidence.status === 'completed') return pass();
  const cycle = findWaitCycle(run);
  if (cycle === null) return pass();
  const when = `after ${formatMs(Math.round(run.evidence.wallMs))} ${run.plan.label}`;
  return fail(`deadlock ${when}: ${explainCycle(run, cycle)}`);
}
