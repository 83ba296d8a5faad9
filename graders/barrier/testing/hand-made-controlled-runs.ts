import type { ControlledRunEvidence, ControlledThreadReport, ScheduleStep, WaitSite } from '../../grader-api';
import {
  POINT_CODES,
  type ControlledBarrierLedger,
  type ControlledThreadLedger,
} from '../controlled-barrier-memory';

/** Hand-made controlled barrier runs for the judges' unit specs: what the host would read back. */

type Action = ScheduleStep['action'];

/** A step on the barrier's state: `step(1, 'add', 2, 0, 1)` is "thread 2 Atomics.add on state[2]: 0 -> 1". */
export function step(thread: number, action: Action, index: number, value: number, extra = 0): ScheduleStep {
  return { step: 0, thread, action, buffer: 'state', index, value, extra };
}

const point = (thread: number, code: number, round: number): ScheduleStep => ({
  step: 0,
  thread,
  action: 'point',
  buffer: null,
  index: code,
  value: round,
  extra: 0,
});
/** The grader's point: `thread` calls wait() in `round` (from 1). */
export const calls = (thread: number, round: number) => point(thread, POINT_CODES.callsWait, round);
/** The grader's point: `thread`'s wait() returned `result` in `round` (from 1). */
export const returned = (thread: number, round: number, result: boolean) =>
  point(thread, result ? POINT_CODES.returnedTrue : POINT_CODES.returnedFalse, round);

/** Numbers the steps 1, 2, ... as the host does. */
export function trace(...steps: ScheduleStep[]): ScheduleStep[] {
  return steps.map((one, i) => ({ ...one, step: i + 1 }));
}

export function finished(
  index: number,
  overrides: Partial<ControlledThreadReport> = {},
): ControlledThreadReport {
  return {
    index,
    threadId: index + 1,
    end: { kind: 'returned', value: null },
    steps: 10,
    waitingOn: null,
    ...overrides,
  };
}

export function asleep(index: number, site: Omit<WaitSite, 'buffer' | 'timeoutMs'>): ControlledThreadReport {
  return finished(index, {
    end: { kind: 'stopped' },
    waitingOn: { buffer: 'state', timeoutMs: null, ...site },
  });
}

export function controlledRun(overrides: Partial<ControlledRunEvidence> = {}): ControlledRunEvidence {
  return {
    run: 7,
    runs: 80,
    schedule: { strategy: 'pct', depth: 2, seed: '00c0ffee' },
    status: 'completed',
    steps: 40,
    threads: [finished(0), finished(1)],
    trace: [],
    console: [],
    ...overrides,
  };
}

export function row(overrides: Partial<ControlledThreadLedger> = {}): ControlledThreadLedger {
  return { rounds: 3, place: 'finished', early: null, odd: null, ...overrides };
}

/** Every thread through every round of `rounds`, one true each, unless told otherwise. */
export function ledger(
  parties: number,
  rounds: number,
  overrides: Partial<ControlledBarrierLedger> = {},
): ControlledBarrierLedger {
  const threads = overrides.threads ?? Array.from({ length: parties }, () => row({ rounds }));
  const everyoneReturned = Math.min(...threads.map((thread) => thread.rounds));
  return { truesPerRound: Array.from({ length: everyoneReturned }, () => 1), threads, ...overrides };
}
