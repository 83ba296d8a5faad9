import type {
  AsyncRunEvidence,
  ControlledRunEvidence,
  DriverRunEvidence,
  MainRunEvidence,
  ThreadReport,
  ThreadRunEvidence,
} from '../../graders/grader-api';
import {
  asyncRunEnd,
  controlledRunEnd,
  driverRunEnd,
  mainRunEnd,
  threadRunEnd,
  worseEnd,
} from './hidden-run-ends';

const asyncRun = (parts: Partial<AsyncRunEvidence>): AsyncRunEvidence => ({
  result: { kind: 'resolved', value: [] },
  settledAtMs: 10,
  calls: [],
  unhandledRejections: [],
  console: [],
  ...parts,
});

const thread = (end: ThreadReport['end']): ThreadReport => ({
  index: 0,
  threadId: 1,
  end,
  cpuMs: 1,
  blockedMs: 0,
  waits: 0,
  waitingOn: null,
});

const threadRun = (status: ThreadRunEvidence['status'], ends: ThreadReport['end'][]): ThreadRunEvidence => ({
  status,
  wallMs: 5,
  threads: ends.map(thread),
  lostWakeups: [],
  console: [],
});

describe('how a run ended, for the kind of a hidden check failure', () => {
  it('reads an async run: a rejection or an unhandled one, an async deadlock, the time cap', () => {
    expect(asyncRunEnd(asyncRun({}))).toBeNull();
    expect(asyncRunEnd(asyncRun({ result: { kind: 'rejected', message: 'x' } }))).toBe('runtime_error');
    const call = { service: 'fetchData', index: 0, args: [], startedAtMs: 0, settledAtMs: 5, ok: false };
    expect(asyncRunEnd(asyncRun({ unhandledRejections: [call] }))).toBe('runtime_error');
    expect(asyncRunEnd(asyncRun({ result: { kind: 'pending', reason: 'no-events-left' } }))).toBe('deadlock');
    expect(asyncRunEnd(asyncRun({ result: { kind: 'pending', reason: 'virtual-time-cap' } }))).toBe(
      'timeout',
    );
  });

  it('reads a driver run: a rejected operation, a deadlock, the time cap', () => {
    const base: DriverRunEvidence = {
      end: 'completed',
      endedAtMs: 5,
      operations: [],
      waiting: [],
      calls: [],
      unhandledRejections: [],
      marks: [],
      console: [],
    };
    const rejected = { index: 0, label: 'deposit(a, 1)', startedAtMs: 0, settledAtMs: 1 };
    expect(driverRunEnd(base)).toBeNull();
    expect(
      driverRunEnd({ ...base, operations: [{ ...rejected, outcome: { kind: 'rejected', message: 'x' } }] }),
    ).toBe('runtime_error');
    expect(driverRunEnd({ ...base, end: 'deadlock' })).toBe('deadlock');
    expect(driverRunEnd({ ...base, end: 'virtual-time-cap' })).toBe('timeout');
  });

  it('reads a thread run: a thread that threw before the deadlock it caused', () => {
    const threw = { kind: 'threw', message: 'Error: x' } as const;
    expect(threadRunEnd(threadRun('completed', [{ kind: 'returned', value: 1 }]))).toBeNull();
    expect(threadRunEnd(threadRun('deadlock', [threw, { kind: 'stopped' }]))).toBe('runtime_error');
    expect(threadRunEnd(threadRun('deadlock', [{ kind: 'stopped' }]))).toBe('deadlock');
    expect(threadRunEnd(threadRun('timeout', [{ kind: 'stopped' }]))).toBe('timeout');
  });

  it('reads a controlled run, where a run stopped at its step limit proves nothing', () => {
    const run = (status: ControlledRunEvidence['status']): ControlledRunEvidence => ({
      run: 1,
      runs: 1,
      schedule: { strategy: 'random', seed: 'ab' },
      status,
      steps: 10,
      threads: [{ index: 0, threadId: 1, end: { kind: 'stopped' }, steps: 10, waitingOn: null }],
      trace: [],
      console: [],
    });
    expect(controlledRunEnd(run('step-limit'))).toBeNull();
    expect(controlledRunEnd(run('deadlock'))).toBe('deadlock');
    expect(controlledRunEnd(run('timeout'))).toBe('timeout');
  });

  it('reads a main-thread run: a rejection or a worker that threw, a call that never settled', () => {
    const base: MainRunEvidence = {
      result: { kind: 'resolved', value: 4 },
      wallMs: 5,
      mainCpuMs: 1,
      workers: [],
      host: { processCpuMs: 1, systemBusyMs: 1, cores: 2 },
      console: [],
    };
    expect(mainRunEnd(base)).toBeNull();
    expect(mainRunEnd({ ...base, result: { kind: 'rejected', message: 'x' } })).toBe('runtime_error');
    expect(mainRunEnd({ ...base, result: { kind: 'timeout' } })).toBe('timeout');
  });

  it('keeps the most telling of two ends', () => {
    expect(worseEnd(null, 'timeout')).toBe('timeout');
    expect(worseEnd('timeout', 'deadlock')).toBe('deadlock');
    expect(worseEnd('runtime_error', 'deadlock')).toBe('runtime_error');
    expect(worseEnd(null, null)).toBeNull();
  });
});
