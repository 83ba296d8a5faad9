import { judgeExclusionWhileHeld, judgeHoldFinished, judgeWaitersSleep } from './hold-judges';
import { asleep, evidence, holdRun, tallyRow, thread } from './testing/hand-made-runs';

const limits = { maxCpuShare: 0.33, maxWaits: 1000 };

describe('race-free-counter hold judges (thread 1 holds the lock for 300 ms)', () => {
  it('passes waiters that slept through the hold, and says how little CPU they used', () => {
    const run = holdRun();
    expect(judgeWaitersSleep(run, limits)).toEqual({
      passed: true,
      message: 'waiting threads used at most 1 ms of CPU each while thread 1 held the lock for 300 ms',
    });
    expect(judgeExclusionWhileHeld(run)).toEqual({ passed: true });
    expect(judgeHoldFinished(run)).toEqual({ passed: true });
  });

  it('fails a waiter that used about the whole hold as CPU', () => {
    const base = holdRun();
    const run = holdRun({
      evidence: evidence([
        thread(0, { cpuMs: 1 }),
        thread(1, { cpuMs: 297.4, waits: 1 }),
        thread(2, { cpuMs: 1 }),
      ]),
    });
    expect(base.tally[1].lockMs).toBe(301);
    expect(judgeWaitersSleep(run, limits)).toEqual({
      passed: false,
      message:
        'thread 2 spent 301 ms in lock() while thread 1 held the lock and used about 297 ms of CPU there ' +
        '(at most 99 ms allowed): a waiting thread must sleep in Atomics.wait, not spin',
    });
  });

  it('fails a waiter that loops through Atomics.wait calls that return at once', () => {
    const run = holdRun({
      evidence: evidence([thread(0), thread(1, { cpuMs: 45, waits: 654_787 }), thread(2, { cpuMs: 1 })]),
    });
    expect(judgeWaitersSleep(run, limits)).toMatchObject({
      passed: false,
      message: expect.stringMatching(
        /^thread 2 returned from Atomics.wait 654,787 times while thread 1 held the lock for 300 ms: Atomics.wait returns at once \("not-equal"\)/,
      ),
    });
  });

  it('cannot check sleeping when the holder never got a free lock', () => {
    const run = holdRun({
      tally: [tallyRow(0, 'in lock()'), tallyRow(0, 'between rounds'), tallyRow(0, 'between rounds')],
    });
    expect(judgeWaitersSleep(run, limits)).toEqual({
      passed: false,
      message:
        "could not be checked: thread 1's lock() on a free lock did not return, so no thread had to wait",
    });
  });

  it("fails exclusion when a waiter's lock() returns while thread 1 still holds the lock", () => {
    const run = holdRun({ tally: [tallyRow(1), tallyRow(1, 'finished', { overlaps: 1 }), tallyRow(1)] });
    expect(judgeExclusionWhileHeld(run)).toEqual({
      passed: false,
      message: "thread 2's lock() returned while thread 1 still held the lock (thread 1 kept it for 300 ms)",
    });
  });

  it('names the waiter nobody woke after the release', () => {
    const run = holdRun({
      tally: [tallyRow(1), tallyRow(1, 'finished', { lockMs: 301 }), tallyRow(0, 'in lock()')],
      evidence: evidence([thread(0), thread(1), asleep(2, { index: 4, expected: 1, current: 0 })], {
        status: 'deadlock',
        wallMs: 420,
      }),
    });
    expect(judgeHoldFinished(run)).toEqual({
      passed: false,
      message:
        'deadlock after 420 ms with thread 1 holding the lock for 300 ms and 2 threads waiting: ' +
        'thread 3 still blocked in lock(): waits on state[4] == 1, now 0 — nobody woke it (lost wake-up)',
    });
  });

  it("says in words what a thread waiting on the grader's signal waits for", () => {
    const run = holdRun({
      tally: [tallyRow(0, 'in lock()'), tallyRow(0, 'between rounds'), tallyRow(0, 'between rounds')],
      evidence: evidence(
        [
          thread(0, { end: { kind: 'stopped' } }),
          asleep(1, { buffer: 'signals', index: 0, expected: 0, current: 0 }),
          asleep(2, { buffer: 'signals', index: 0, expected: 0, current: 0 }),
        ],
        { status: 'timeout', wallMs: 3000 },
      ),
    });
    expect(judgeHoldFinished(run)).toEqual({
      passed: false,
      message:
        'not finished after 3,000 ms with thread 1 holding the lock for 300 ms and 2 threads waiting: ' +
        "thread 2 still blocked outside lock() and unlock(): waits for thread 1 to take the lock (thread 1's lock() on a free lock did not return); " +
        "thread 3 still blocked outside lock() and unlock(): waits for thread 1 to take the lock (thread 1's lock() on a free lock did not return); " +
        'thread 1 still running in lock(), not asleep in Atomics.wait',
    });
  });
});
