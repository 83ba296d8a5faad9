import type { ControlledRunEvidence, ControlledThreadReport, ScheduleStep, WaitSite } from '../../grader-api';
import { CONTROLLED_POINTS } from '../controlled-memory';
import type { ControlledLedger, ControlledThreadLedger } from '../controlled-memory';

/** Hand-made controlled runs for the judges' unit specs: the evidence the host hands the judge, and the ledger it reads back. */

export const RUN_NAME = 'controlled run 7 of 150 (PCT depth 2, schedule 00c0ffee)';

export function controlledRun(partial: Partial<ControlledRunEvidence> = {}): ControlledRunEvidence {
  return {
    run: 7,
    runs: 150,
    schedule: { strategy: 'pct', depth: 2, seed: '00c0ffee' },
    status: 'completed',
    steps: 40,
    threads: [0, 1, 2].map((index) => finished(index)),
    trace: [],
    console: [],
    ...partial,
  };
}

export const finished = (index: number): ControlledThreadReport => ({
  index,
  threadId: index + 1,
  end: { kind: 'returned', value: null },
  steps: 10,
  waitingOn: null,
});

export const threw = (index: number, message: string, line?: number): ControlledThreadReport => ({
  ...finished(index),
  end: { kind: 'threw', message, ...(line ? { location: { line, column: 1 } } : {}) },
});

export const asleep = (
  index: number,
  site: Omit<WaitSite, 'buffer' | 'timeoutMs'>,
): ControlledThreadReport => ({
  ...finished(index),
  end: { kind: 'stopped' },
  waitingOn: { buffer: 'state', timeoutMs: null, ...site },
});

/** Steps numbered in order, as the host hands them over. */
export function trace(...steps: Omit<ScheduleStep, 'step'>[]): ScheduleStep[] {
  return steps.map((step, at) => ({ step: at + 1, ...step }));
}

/** A step on a cell of the lock: `on(0, 'compareExchange', 0, 0, 1)` is thread 1 taking a free lock at state[0]. */
export const on = (
  thread: number,
  action: ScheduleStep['action'],
  index: number,
  value: number,
  extra = 0,
): Omit<ScheduleStep, 'step'> => ({ thread, action, buffer: 'state', index, value, extra });

export const point = (
  thread: number,
  code: keyof typeof CONTROLLED_POINTS,
  arg = 0,
): Omit<ScheduleStep, 'step'> => ({
  thread,
  action: 'point',
  buffer: null,
  index: CONTROLLED_POINTS[code],
  value: arg,
  extra: 0,
});

export function row(overrides: Partial<ControlledThreadLedger> = {}): ControlledThreadLedger {
  return {
    rounds: 2,
    place: 'finished',
    depth: 0,
    roundDepth: 2,
    updates: 6,
    overlap: null,
    unheldRelease: 'not-tried',
    unheldHolder: null,
    before: [],
    after: [],
    ...overrides,
  };
}

export function ledger(rows: ControlledThreadLedger[], counter?: number): ControlledLedger {
  return { counter: counter ?? rows.reduce((sum, r) => sum + r.updates, 0), ints: 2, threads: rows };
}
