import type { ControlledRunEvidence, ScheduleStep } from '../grader-api';
import {
  describeRun,
  describeSleepers,
  describeStep,
  describeTrace,
  describeWaitsFor,
} from './schedule-trace';

const step = (partial: Partial<ScheduleStep>): ScheduleStep => ({
  step: 1,
  thread: 0,
  action: 'read',
  buffer: 'counter',
  index: 0,
  value: 0,
  extra: 0,
  ...partial,
});

describe('schedule traces in words', () => {
  it('tells the lost update of two threads as the steps that made it', () => {
    const trace = [
      step({ thread: 0, action: 'read', value: 41 }),
      step({ thread: 1, action: 'read', value: 41 }),
      step({ thread: 0, action: 'write', value: 42 }),
      step({ thread: 1, action: 'write', value: 42 }),
    ];
    expect(describeTrace(trace)).toBe(
      'thread 1 read counter[0] = 41; thread 2 read counter[0] = 41; thread 1 wrote counter[0] = 42; thread 2 wrote counter[0] = 42',
    );
    expect(describeTrace(trace, 2)).toBe(
      '...; thread 1 wrote counter[0] = 42; thread 2 wrote counter[0] = 42',
    );
  });

  it('names atomics, sleeps, wake-ups and the grader own points', () => {
    const say = (partial: Partial<ScheduleStep>) =>
      describeStep(step({ buffer: 'state', ...partial }), {
        point: (who, code, arg) => `${who} ${code === 1 ? 'eats' : 'thinks'} (meal ${arg})`,
      });
    expect(say({ action: 'compareExchange', value: 0, extra: 1 })).toBe(
      'thread 1 compareExchange on state[0]: found 0, set 1',
    );
    expect(say({ action: 'compareExchange', value: 1, extra: 1 })).toBe(
      'thread 1 compareExchange on state[0]: found 1, left it',
    );
    expect(say({ action: 'add', thread: 2, value: 4, extra: 5 })).toBe(
      'thread 3 Atomics.add on state[0]: 4 -> 5',
    );
    expect(say({ action: 'wait', value: 1, extra: -1 })).toBe('thread 1 went to sleep on state[0] (= 1)');
    expect(say({ action: 'waitNotEqual', value: 0, extra: 1 })).toBe(
      'thread 1 did not sleep: state[0] was 0, not 1',
    );
    expect(say({ action: 'notify', value: 1, extra: 1 })).toBe('thread 1 notified state[0], waking 1 thread');
    expect(say({ action: 'point', index: 1, value: 2 })).toBe('thread 1 eats (meal 2)');
    expect(say({ action: 'store', buffer: null, value: 0, extra: 0 })).toBe(
      'thread 1 stored its own memory[0] = 0',
    );
  });

  it('names the run and the sleepers of a proven deadlock', () => {
    const run: ControlledRunEvidence = {
      run: 12,
      runs: 200,
      schedule: { strategy: 'pct', depth: 3, seed: '3f9a1c2e' },
      status: 'deadlock',
      steps: 7,
      threads: [
        {
          index: 0,
          threadId: 1,
          end: { kind: 'stopped' },
          steps: 3,
          waitingOn: { buffer: 'state', index: 0, expected: 1, current: 1, timeoutMs: null },
        },
        { index: 1, threadId: 2, end: { kind: 'returned', value: 1 }, steps: 4, waitingOn: null },
      ],
      trace: [],
      console: [],
    };
    expect(describeRun(run)).toBe('controlled run 12 of 200 (PCT depth 3, schedule 3f9a1c2e)');
    expect(describeSleepers(run)).toBe('thread 1 sleeps on state[0] until it is no longer 1 (it is 1)');
  });
});

describe('who waits for whom at a deadlock', () => {
  const sleeper = (index: number, cell: number) => ({
    index,
    threadId: index + 1,
    end: { kind: 'stopped' as const },
    steps: 4,
    waitingOn: { buffer: 'state', index: cell, expected: 1, current: 1, timeoutMs: null },
  });
  const deadlock = (
    threads: ControlledRunEvidence['threads'],
    trace: ScheduleStep[],
  ): ControlledRunEvidence => ({
    run: 1,
    runs: 10,
    schedule: { strategy: 'random', seed: '00000001' },
    status: 'deadlock',
    steps: trace.length,
    threads,
    trace,
    console: [],
  });

  it('names the cycle of two threads each holding what the other waits for', () => {
    const run = deadlock(
      [sleeper(0, 1), sleeper(1, 0)],
      [
        step({ thread: 0, action: 'compareExchange', buffer: 'state', index: 0, value: 0, extra: 1 }),
        step({ thread: 1, action: 'compareExchange', buffer: 'state', index: 1, value: 0, extra: 1 }),
        step({ thread: 0, action: 'compareExchange', buffer: 'state', index: 1, value: 1, extra: 1 }),
        step({ thread: 1, action: 'compareExchange', buffer: 'state', index: 0, value: 1, extra: 1 }),
      ],
    );
    expect(describeWaitsFor(run)).toBe(
      'thread 1 waits for thread 2 (state[1] = 1, set by thread 2), thread 2 waits for thread 1 (state[0] = 1, set by thread 1): a cycle, nobody can go on',
    );
  });

  it('names a thread that waits for itself, and a sleeper whose cell the trace no longer shows', () => {
    const run = deadlock(
      [sleeper(0, 0), sleeper(1, 5)],
      [step({ thread: 0, action: 'store', buffer: 'state', index: 0, value: 1, extra: 1 })],
    );
    expect(describeWaitsFor(run)).toBe(
      'thread 1 waits for itself (state[0] = 1, set by itself), thread 2 sleeps on state[5] = 1: a thread that waits for a change only it could make never wakes',
    );
  });
});
