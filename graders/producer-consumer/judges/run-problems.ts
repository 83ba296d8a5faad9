import type { ThreadReport } from '../../grader-api';
import { formatCount, formatMs, listSome } from '../../lib/format';
import type { QueueRunObservation } from '../queue-run-memory';

/** Names and places in a student's words: threads are counted from 1, as the statement does. */

export type Role = 'producer' | 'consumer';

/** "producer 2"; "consumers 1 and 3"; "producers 1, 2, 3 and 5 more". */
export function nameThreads(role: Role, indexes: readonly number[]): string {
  if (indexes.length === 1) return `${role} ${indexes[0] + 1}`;
  const numbers = indexes.map((index) => String(index + 1));
  const listed =
    numbers.length <= 4
      ? `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`
      : listSome(numbers, 3);
  return `${role}s ${listed}`;
}

/** "2 consumers", "1 producer". */
export function countThreads(role: Role, count: number): string {
  return `${formatCount(count)} ${role}${count === 1 ? '' : 's'}`;
}

/** "1 s", "1,500 ms". */
export function formatAllowance(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : formatMs(ms);
}

/** Where a thread that never returned was when the run ended. */
export function describeWhereStuck(report: ThreadReport): string {
  const site = report.waitingOn;
  if (site === null) {
    return report.end.kind === 'stopped' ? 'still running, not asleep' : 'gone';
  }
  if (site.buffer === 'queue') return `asleep in Atomics.wait on the queue's memory (queue[${site.index}])`;
  if (site.buffer === null) return 'asleep in Atomics.wait';
  return "waiting for the grader's signal";
}

/** "TypeError: x is not a function (line 12)". */
export function describeThrown(report: ThreadReport): string {
  if (report.end.kind !== 'threw') return 'threw';
  const line = report.end.location ? ` (line ${report.end.location.line})` : '';
  return `${report.end.message}${line}`;
}

/**
 * A run in which the queue could not even be built (the constructor threw in some thread, so the
 * grader's threads could not take part): nothing else can be judged, and every check of the run
 * fails with this.
 */
export function describeBrokenRun(run: QueueRunObservation): string | null {
  const threads = [...run.producers, ...run.consumers];
  const failed =
    threads.find((thread) => thread.status === 'not-started' && thread.report.end.kind === 'threw')?.report ??
    (run.coordinator.report?.end.kind === 'threw' ? run.coordinator.report : undefined);
  if (!failed) return null;
  return `new BoundedQueue(buffer, ${run.plan.capacity}) failed in thread ${failed.threadId}: ${describeThrown(failed)}`;
}
