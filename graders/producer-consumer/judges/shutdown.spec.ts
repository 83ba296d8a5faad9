import { CLOSE_AT, STOP_AT, testPlan, testRun, threadReport } from '../testing/queue-run-builder';
import { judgeShutdown } from './shutdown';

const plan = testPlan({ producers: 2, consumers: 3 });
const asleepInGet = (index: number) =>
  threadReport(index, {
    end: { kind: 'stopped' },
    waitingOn: { buffer: 'queue', index: 1, expected: 7, current: 7, timeoutMs: null },
  });

describe('shutdown-in-time', () => {
  it('passes and reports how long the slowest thread took after its signal', () => {
    const run = testRun(plan, { consumers: [{}, { returnedAtMs: CLOSE_AT + 19 }] });
    expect(judgeShutdown(run)).toEqual({
      passed: true,
      message: 'every producer returned within 1 ms of stop, every consumer within 19 ms of close()',
    });
  });

  it('names consumers still asleep in get() after close(), and says the run deadlocked', () => {
    const run = testRun(plan, {
      status: 'deadlock',
      consumers: [
        {},
        { status: 'running', returnedAtMs: null, report: asleepInGet(3) },
        { status: 'running', returnedAtMs: null, report: asleepInGet(4) },
      ],
    });
    expect(judgeShutdown(run)).toEqual({
      passed: false,
      message:
        "2 consumers still blocked in get() 1 s after close() (consumers 2 and 3; consumer 2 asleep in Atomics.wait on the queue's memory (queue[1])); " +
        'the run was stopped because every remaining thread was asleep with nothing left to wake it',
    });
  });

  it('tells a consumer still busy taking items after close() from one asleep', () => {
    const run = testRun(plan, {
      status: 'timeout',
      consumers: [
        {
          status: 'running',
          returnedAtMs: null,
          stored: 5000,
          storedAtClose: 20,
          inSlowStore: true,
          report: threadReport(2, { end: { kind: 'stopped' } }),
        },
      ],
    });
    expect(judgeShutdown(run).message).toBe(
      '1 consumer still inside consume() 1 s after close() (consumer 1; still taking items: 4,980 since close()); ' +
        'the run was stopped at its time limit',
    );
  });

  it('reports a producer that returned late, one that threw, and one that returned before stop', () => {
    const run = testRun(testPlan({ producers: 3, consumers: 1 }), {
      producers: [
        { returnedAtMs: STOP_AT + 1340 },
        {
          status: 'threw',
          report: threadReport(1, {
            end: { kind: 'threw', message: 'Error: full', location: { line: 31, column: 7 } },
          }),
        },
        { early: true, returnedAtMs: 3 },
      ],
    });
    expect(judgeShutdown(run).message).toBe(
      'producer 1 returned 1,340 ms after stop[0] = 1 (allowed: 1 s); producer 2 threw Error: full (line 31); ' +
        'producer 3 returned from produce() before stop[0] was set: produce() must keep putting items until stop[0] !== 0',
    );
  });

  it('tells producers stuck past the allowance, that left only when close() made put() throw', () => {
    const thrown = (index: number) => ({
      status: 'threw' as const,
      returnedAtMs: 1202,
      report: threadReport(index, {
        end: { kind: 'threw' as const, message: 'Error: closed', location: { line: 33, column: 9 } },
      }),
    });
    const run = testRun(plan, {
      producers: [thrown(0), thrown(1)],
      coordinator: { stopAtMs: 100, closeCalledAtMs: 1200 },
      consumers: [{ returnedAtMs: 1201 }, { returnedAtMs: 1201 }, { returnedAtMs: 1201 }],
    });
    expect(judgeShutdown(run).message).toBe(
      '2 producers still inside produce() 1 s after stop[0] = 1 (producers 1 and 2; they left only when close() made ' +
        'put() throw: Error: closed (line 33))',
    );
  });

  it('wants a put() blocked on a full queue to throw at close()', () => {
    const full = testPlan({ kind: 'producers-wait-on-full', producers: 2, consumers: 1 });
    const run = testRun(full, { producers: [{}, { putEnd: 'returned-after-close' }] });
    expect(judgeShutdown(run).message).toBe(
      'producer 2: put() on the full queue returned normally after close() instead of throwing: a put() blocked when ' +
        'close() is called must throw an Error',
    );
    expect(judgeShutdown(testRun(full))).toEqual({
      passed: true,
      message: 'every blocked put() threw within 1 ms of close(), every consumer within 1 ms of close()',
    });
  });

  it('reports a close() that never returns, and lost wake-ups', () => {
    const run = testRun(plan, {
      status: 'deadlock',
      lostWakeups: [6],
      coordinator: { close: 'not-returned', closeReturnedAtMs: null },
    });
    expect(judgeShutdown(run).message).toBe(
      'close() never returned; the run was stopped because every remaining thread was asleep with nothing left to wake ' +
        'it; thread 6 slept although the value it waited on had changed (no Atomics.notify reached it)',
    );
  });
});
