import type { TraceWording } from '../lib/schedule-trace';
import { CONTROLLED_POINTS } from './controlled-memory';

const P = CONTROLLED_POINTS;

const holding = (depth: number) => (depth === 0 ? 'it holds nothing' : `it holds the lock ${depth} deep`);

/** The grader's labelled steps in the student's terms: "thread 1 calls acquire() again, holding the lock 1 deep". */
function describePoint(thread: string, code: number, arg: number): string {
  switch (code) {
    case P.callsAcquire:
      return arg === 0
        ? `${thread} calls acquire()`
        : `${thread} calls acquire() again, holding the lock ${arg} deep`;
    case P.acquired:
      return `${thread}'s acquire() returned: ${holding(arg)}`;
    case P.callsRelease:
      return `${thread} calls release(), holding the lock ${arg} deep`;
    case P.released:
      return `${thread}'s release() returned: ${holding(arg)}`;
    case P.callsUnheldRelease:
      return `${thread} calls release(), holding nothing`;
    case P.unheldThrew:
      return `${thread}'s release() threw`;
    case P.unheldReturned:
      return `${thread}'s release() returned without throwing`;
    case P.overlap:
      return `${thread} is inside together with thread ${arg + 1}`;
    default:
      return `${thread} reached point ${code}`;
  }
}

/**
 * The statement's names: the lock's cells are `state[i]`, the grader's counter is "the counter".
 * Threads are "thread <threadId>" (a controlled run's threadId is its index + 1, as in the default).
 */
export const LOCK_WORDING: TraceWording = {
  cell: (buffer, index) =>
    buffer === 'counter' ? 'the counter' : `${buffer ?? "the thread's own memory"}[${index}]`,
  point: describePoint,
};
