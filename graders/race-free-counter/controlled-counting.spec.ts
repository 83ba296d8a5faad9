import type { ControlledRunEvidence, ScheduleStep } from '../grader-api';
import { judgeControlledCounting, lostUpdateSteps } from './controlled-counting';
import type { ThreadTally } from './mutex-memory';

const step = (thread: number, action: 'read' | 'write', value: number): ScheduleStep => ({
  step: 0,
  thread,
  action,
  buffer: 'counter',
  index: 0,
  value,
  extra: 0,
});
const tally = (rounds: number[], overlaps: number[] = rounds.map(() => 0)): ThreadTally[] =>
  rounds.map((done, i) => ({ rounds: done, place: 'finished', overlaps: overlaps[i], lockMs: 0 }));
const run = (partial: Partial<ControlledRunEvidence>): ControlledRunEvidence => ({
  run: 7,
  runs: 150,
  schedule: { strategy: 'pct', depth: 2, seed: '00c0ffee' },
  status: 'completed',
  steps: 40,
  threads: [0, 1].map((index) => ({
    index,
    threadId: index + 1,
    end: { kind: 'returned', value: undefined },
    steps: 20,
    waitingOn: null,
  })),
  trace: [],
  console: [],
  ...partial,
});
const RUN = 'controlled run 7 of 150 (PCT depth 2, schedule 00c0ffee)';

describe('race-free-counter controlled runs', () => {
  it('shows the steps of the first lost update, from the read that went stale to its write', () => {
    const trace = [
      step(0, 'read', 0),
      step(0, 'write', 1),
      step(1, 'read', 1),
      step(0, 'read', 1),
      step(0, 'write', 2),
      step(1, 'write', 2),
    ];
    expect(lostUpdateSteps(trace)).toEqual(trace.slice(2));
    const verdict = judgeControlledCounting(run({ trace }), 2, tally([2, 1]));
    expect(verdict).toEqual({
      exclusion: {
        passed: false,
        message: `lost 1 of 3 increments with 2 threads on ${RUN}: thread 2 read c[0] = 1; thread 1 read c[0] = 1; thread 1 wrote c[0] = 2; thread 2 wrote c[0] = 2`,
      },
    });
  });

  it('fails exclusion when two threads were inside although nothing was lost, and passes an exact run', () => {
    expect(judgeControlledCounting(run({}), 4, tally([2, 2], [0, 1])).exclusion?.message).toMatch(
      /^thread 2 got the lock while another thread held it on controlled run 7 of 150/,
    );
    expect(judgeControlledCounting(run({}), 4, tally([2, 2]))).toEqual({});
  });

  it('fails finishing on a proven deadlock and judges nothing on a run stopped at the step limit', () => {
    const sleeping = run({
      status: 'deadlock',
      threads: [
        { index: 0, threadId: 1, end: { kind: 'returned', value: undefined }, steps: 9, waitingOn: null },
        {
          index: 1,
          threadId: 2,
          end: { kind: 'stopped' },
          steps: 5,
          waitingOn: { buffer: 'state', index: 0, expected: 1, current: 0, timeoutMs: null },
        },
      ],
    });
    expect(judgeControlledCounting(sleeping, 3, tally([2, 1])).finishes?.message).toBe(
      `deadlock on ${RUN}: no thread could move: thread 2 still blocked finished: waits on state[0] == 1, now 0 — nobody woke it (lost wake-up). Last steps: `,
    );
    expect(judgeControlledCounting(run({ status: 'step-limit' }), 0, tally([0, 0]))).toEqual({});
  });
});
