import type { ScheduleStep } from '../grader-api';
import type { TraceWording } from '../lib/schedule-trace';
import { POINT_CODES } from './controlled-barrier-memory';

/**
 * The steps of a controlled barrier run in the exercise's words: the grader's points are calls of
 * wait() and what they returned ("thread 2 called wait() in round 3", "thread 1's wait() returned
 * true in round 3"); the barrier's cells are `state[i]`.
 */
const RETURNED: ReadonlyMap<number, string> = new Map([
  [POINT_CODES.returnedTrue, 'true'],
  [POINT_CODES.returnedFalse, 'false'],
  [POINT_CODES.returnedOther, 'neither true nor false'],
]);

export const cellName = (buffer: string | null, index: number) => `${buffer ?? 'its own memory'}[${index}]`;

export const BARRIER_WORDING: TraceWording = {
  cell: cellName,
  point: (thread, code, round) =>
    code === POINT_CODES.callsWait
      ? `${thread} called wait() in round ${round}`
      : `${thread}'s wait() returned ${RETURNED.get(code) ?? `(point ${code})`} in round ${round}`,
};

const isReturn = (step: ScheduleStep, round: number) =>
  step.action === 'point' && RETURNED.has(step.index) && step.value === round + 1;
const isCall = (step: ScheduleStep, round: number) =>
  step.action === 'point' && step.index === POINT_CODES.callsWait && step.value === round + 1;

/**
 * The steps up to the moment `thread`'s wait() returned in `round` (0-based), ending with that
 * return. The return point is a step of its own, so other threads may have moved before it was
 * taken; but wait() returned right after the thread's previous step (nothing runs between two steps
 * of one thread but its own code), so the trace is cut there and the return put after it. null
 * when the trace no longer holds the return.
 */
export function stepsUntilReturn(
  trace: ScheduleStep[],
  thread: number,
  round: number,
): ScheduleStep[] | null {
  const at = trace.findIndex((step) => step.thread === thread && isReturn(step, round));
  if (at < 0) return null;
  let last = at - 1;
  while (last >= 0 && trace[last].thread !== thread) last--;
  return [...trace.slice(0, last + 1), trace[at]];
}

/**
 * The steps of one round (0-based): from its first call of wait() to the last return from it. null
 * when the trace no longer holds them.
 */
export function roundSteps(trace: ScheduleStep[], round: number): ScheduleStep[] | null {
  const first = trace.findIndex((step) => isCall(step, round));
  const last = trace.findLastIndex((step) => isReturn(step, round));
  return first < 0 || last < first ? null : trace.slice(first, last + 1);
}
