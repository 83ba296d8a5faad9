import { judgeSleepingThreads } from './sleeping-threads';
import { threadReport } from './testing/hand-made-evidence';

const story = { waitingIn: 'in wait()', during: 'thread 3 arrived 200 ms after the others', waitedMs: 200 };
const limits = { maxCpuShare: 0.33, maxWaits: 1000 };

describe('judgeSleepingThreads', () => {
  it('passes waiters that slept, and says how little CPU they used', () => {
    expect(
      judgeSleepingThreads([threadReport(0, { cpuMs: 1.4 }), threadReport(1, { cpuMs: 0.2 })], story, limits),
    ).toEqual({
      passed: true,
      message: 'waiting threads used at most 1 ms of CPU each while thread 3 arrived 200 ms after the others',
    });
  });

  it('fails a waiter whose CPU estimate is most of the wait', () => {
    expect(
      judgeSleepingThreads([threadReport(0, { cpuMs: 1 }), threadReport(1, { cpuMs: 188.6 })], story, limits),
    ).toEqual({
      passed: false,
      message:
        'thread 2 used about 189 ms of CPU in wait() while thread 3 arrived 200 ms after the others (at most 66 ms allowed): ' +
        'a waiting thread must sleep in Atomics.wait, not spin',
    });
  });

  it('fails a waiter that loops through Atomics.wait calls that return at once, even with little CPU', () => {
    expect(
      judgeSleepingThreads([threadReport(0, { cpuMs: 20, waits: 54_321 })], story, limits),
    ).toMatchObject({
      passed: false,
      message: expect.stringMatching(
        /^thread 1 returned from Atomics.wait 54,321 times in wait\(\) while thread 3 arrived/,
      ),
    });
  });
});
