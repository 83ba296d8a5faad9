import { testPlan, testRun, threadReport } from '../testing/queue-run-builder';
import { judgeSleepingWaiters } from './sleeping-waiters';

const empty = testPlan({ kind: 'consumers-wait-on-empty', producers: 2, consumers: 2 });
const full = testPlan({ kind: 'producers-wait-on-full', producers: 3, consumers: 1 });
const held = { holdStartMs: 0, holdEndMs: 301 };

describe('sleep-not-spin', () => {
  it('is judged only on the runs where threads wait on an empty or a full queue', () => {
    expect(judgeSleepingWaiters(testRun(testPlan()))).toBeNull();
    expect(judgeSleepingWaiters(testRun(testPlan({ kind: 'drain-after-close' })))).toBeNull();
  });

  it('passes consumers asleep on an empty queue', () => {
    const run = testRun(empty, {
      coordinator: held,
      consumers: [{ report: threadReport(2, { cpuMs: 3.2 }) }, { report: threadReport(3, { cpuMs: 1 }) }],
    });
    expect(judgeSleepingWaiters(run)).toEqual({
      passed: true,
      message: 'consumers used at most 3 ms of CPU while they waited 301 ms on an empty queue',
    });
  });

  it('names spinning producers with their CPU time and how often they called Atomics.wait', () => {
    const run = testRun(full, {
      coordinator: held,
      producers: [
        { report: threadReport(0, { cpuMs: 298.6, waits: 0 }) },
        { report: threadReport(1, { cpuMs: 2 }) },
        { report: threadReport(2, { cpuMs: 310, waits: 1 }) },
      ],
    });
    expect(judgeSleepingWaiters(run)).toEqual({
      passed: false,
      message:
        'producers waited 301 ms on a full queue, and producers 1 and 3 used 299 ms (0 Atomics.wait calls), ' +
        '310 ms (1 Atomics.wait call) of CPU in this run, where they had little else to do: a waiting thread must ' +
        'sleep in Atomics.wait, not spin',
    });
  });

  it('allows up to half of the wait, and at least minSpinCpuMs', () => {
    const cpu = (cpuMs: number, holdEndMs: number) =>
      judgeSleepingWaiters(
        testRun(empty, {
          coordinator: { holdStartMs: 0, holdEndMs },
          consumers: [{ report: threadReport(2, { cpuMs }) }],
        }),
      )?.passed;
    expect(cpu(150, 301)).toBe(true);
    expect(cpu(151, 301)).toBe(false);
    expect(cpu(50, 20)).toBe(true);
    expect(cpu(51, 20)).toBe(false);
  });
});
