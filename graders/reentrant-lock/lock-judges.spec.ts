import { asleepReport, threadReport, threwReport } from '../lib/testing/hand-made-evidence';
import { judgeCountingExclusion, judgeLockRunFinished } from './counting-judges';
import { judgeHoldExclusion, judgeHoldWaitersSleep } from './hold-judges';
import { judgeNesting } from './nesting-judge';
import { judgeReleaseNotHeld } from './release-not-held-judge';
import { ledgerRow, lockRun, PLANS } from './testing/hand-made-lock-runs';
import { judgeIndependentLocks } from './two-locks-judge';

const deadlock = { status: 'deadlock' as const, wallMs: 104 };

describe('reentrant-lock nesting judge', () => {
  it('passes a thread that nested 1 to 5 deep while the other took the lock after each cycle', () => {
    const run = lockRun(PLANS.nesting, [ledgerRow({ rounds: 5 }), ledgerRow({ rounds: 5 })]);
    expect(judgeNesting(run)).toEqual({
      passed: true,
      message:
        'thread 1 acquired the lock 1 to 5 times in a row and released it as often; each time thread 2 could take it afterwards',
    });
  });

  it('names the nested acquire() that waits for its own thread (a plain lock)', () => {
    const run = lockRun(
      PLANS.nesting,
      [ledgerRow({ rounds: 1, place: 'acquiring', depth: 1 }), ledgerRow({ rounds: 1, place: 'between' })],
      {
        threads: [
          asleepReport(0, { buffer: 'state', index: 0 }),
          asleepReport(1, { buffer: 'signals', index: 0 }),
        ],
        evidence: deadlock,
      },
    );
    expect(judgeNesting(run)).toEqual({
      passed: false,
      message:
        "thread 1's acquire() did not return when it already held the lock 1 time (deadlock after 104 ms): " +
        'a thread that holds the lock must get it again at once, but it waits on state[0] == 1, still 1',
    });
  });

  it('says the lock should have been free when thread 2 cannot take it after as many releases', () => {
    const run = lockRun(
      PLANS.nesting,
      [ledgerRow({ rounds: 3, place: 'between' }), ledgerRow({ rounds: 2, place: 'acquiring' })],
      {
        threads: [
          asleepReport(0, { buffer: 'signals', index: 1, expected: 2, current: 2 }),
          asleepReport(1, { buffer: 'state', index: 0, expected: 1, current: 1 }),
        ],
        evidence: deadlock,
      },
    );
    expect(judgeNesting(run).message).toBe(
      "thread 2's acquire() did not return after thread 1 had acquired the lock 3 times and released it 3 times " +
        '(deadlock after 104 ms): the lock should have been free, but it waits on state[0] == 1, still 1',
    );
  });

  it('names a throw with where the thread was', () => {
    const run = lockRun(
      PLANS.nesting,
      [ledgerRow({ place: 'releasing', depth: 1 }), ledgerRow({ place: 'between' })],
      {
        threads: [threwReport(0, 'Error: not held', 26), asleepReport(1, { buffer: 'signals', index: 0 })],
        evidence: deadlock,
        label: 'while thread 1 acquires the lock 1 to 5 times in a row',
      },
    );
    expect(judgeNesting(run).message).toBe(
      'thread 1 threw Error: not held (line 26) in release() (holding the lock 1 deep) while thread 1 acquires the lock 1 to 5 times in a row',
    );
  });
});

describe('reentrant-lock hold judges', () => {
  const rows = () => [
    ledgerRow({ acquires: 3, releases: 3 }),
    ledgerRow({ lockMs: 201 }),
    ledgerRow({ lockMs: 202 }),
  ];
  const limits = { maxCpuShare: 0.33, maxWaits: 1000 };

  it('passes waiters that slept through the hold and got in after it', () => {
    const run = lockRun(PLANS.hold, rows());
    expect(judgeHoldExclusion(run)).toEqual({ passed: true });
    expect(judgeHoldWaitersSleep(run, limits)).toEqual({
      passed: true,
      message: 'waiting threads used at most 2 ms of CPU each while thread 1 held the lock for 200 ms',
    });
  });

  it('fails a waiter that got in while thread 1 still held the lock one level deep', () => {
    const held = rows();
    held[2] = ledgerRow({ overlaps: 1 });
    expect(judgeHoldExclusion(lockRun(PLANS.hold, held))).toEqual({
      passed: false,
      message:
        "thread 3's acquire() returned while thread 1 still held the lock: thread 1 had acquired it 3 times and had not yet begun the last of its 3 release() calls",
    });
  });

  it('cannot measure sleeping when thread 1 never held the lock 3 deep', () => {
    const run = lockRun(
      PLANS.hold,
      [ledgerRow({ acquires: 1, place: 'acquiring', depth: 1 }), ledgerRow(), ledgerRow()],
      {
        evidence: deadlock,
      },
    );
    expect(judgeHoldWaitersSleep(run, limits).message).toBe(
      'could not be checked: thread 1 did not get to hold the lock 3 times in a row (its acquire() did not return), so no thread had to wait',
    );
  });

  it('fails a waiter that spun through the hold', () => {
    const run = lockRun(PLANS.hold, rows(), {
      threads: [threadReport(0), threadReport(1, { cpuMs: 197 }), threadReport(2)],
    });
    expect(judgeHoldWaitersSleep(run, limits).message).toMatch(
      /^thread 2 used about 197 ms of CPU in acquire\(\) while thread 1 held/,
    );
  });
});

describe('reentrant-lock counting judges', () => {
  it('passes a run whose counter matches the updates and where nobody was inside at once', () => {
    const run = lockRun(PLANS.counting, [
      ledgerRow({ updates: 400 }),
      ledgerRow({ updates: 380 }),
      ledgerRow({ updates: 402 }),
    ]);
    expect(judgeCountingExclusion(run)).toEqual({ passed: true });
    expect(judgeLockRunFinished(run)).toEqual({ passed: true });
  });

  it('counts lost updates and names the overlaps', () => {
    const run = lockRun(
      PLANS.counting,
      [ledgerRow({ updates: 600, overlaps: 7 }), ledgerRow({ updates: 400 })],
      {
        counter: 990,
      },
    );
    expect(judgeCountingExclusion(run).message).toBe(
      'lost 10 of 1,000 updates made while holding the lock (1.0%) with 3 threads nesting 1 to 3 deep on run 1 of 2; ' +
        'two threads were inside at once (seen 7 times)',
    );
  });

  it('names two threads inside before the throw they led to', () => {
    const run = lockRun(
      PLANS.counting,
      [ledgerRow({ updates: 50, overlaps: 2 }), ledgerRow({ updates: 40, place: 'releasing', depth: 1 })],
      { threads: [threadReport(0), threwReport(1, 'Error: not held', 35)] },
    );
    expect(judgeCountingExclusion(run).message).toBe(
      'two threads were inside at once (seen 2 times) with 3 threads nesting 1 to 3 deep on run 1 of 2; ' +
        'then thread 2 threw Error: not held (line 35) in release() (holding the lock 1 deep)',
    );
  });

  it('allows one update more for a thread stopped while it held the lock', () => {
    const run = lockRun(
      PLANS.counting,
      [ledgerRow({ updates: 10 }), ledgerRow({ updates: 5, place: 'holding', depth: 2 })],
      {
        counter: 16,
        evidence: { status: 'timeout', wallMs: 3000 },
      },
    );
    expect(judgeCountingExclusion(run)).toEqual({ passed: true });
  });

  it('reports a thread nobody woke', () => {
    const run = lockRun(PLANS.counting, [ledgerRow(), ledgerRow({ place: 'acquiring' })], {
      threads: [threadReport(0), asleepReport(1, { buffer: 'state', index: 2, expected: 3, current: 0 })],
      evidence: { status: 'deadlock', wallMs: 611 },
    });
    expect(judgeLockRunFinished(run).message).toBe(
      'deadlock after 611 ms with 3 threads nesting 1 to 3 deep on run 1 of 2: thread 2 still blocked in acquire(): ' +
        'waits on state[2] == 3, now 0 — nobody woke it (lost wake-up)',
    );
  });
});

describe('reentrant-lock release-not-held judge', () => {
  const both = (first = {}, second = {}) => [
    ledgerRow({ badRelease: 'threw', ...first }),
    ledgerRow({ badRelease: 'threw', ...second }),
  ];

  it('passes two release() calls that threw and changed nothing', () => {
    expect(judgeReleaseNotHeld(lockRun(PLANS.releaseNotHeld, both())).passed).toBe(true);
  });

  it('fails a release() of the free lock that returned', () => {
    const run = lockRun(
      PLANS.releaseNotHeld,
      both({ badRelease: 'returned', changed: { cell: 5, from: 0, to: -1 } }),
    );
    expect(judgeReleaseNotHeld(run).message).toBe(
      'release() by thread 1, which did not hold the lock (nobody did), returned instead of throwing an Error (and changed state[5] from 0 to -1)',
    );
  });

  it('fails a release() that threw after changing the holder’s count', () => {
    const run = lockRun(PLANS.releaseNotHeld, both({}, { changed: { cell: 5, from: 2, to: 1 } }));
    expect(judgeReleaseNotHeld(run).message).toBe(
      'release() by thread 2, which did not hold the lock (thread 1 held it twice), threw as it should, but changed state[5] from 2 to 1 first: ' +
        'a release() that throws must change nothing',
    );
  });

  it('fails when thread 2 got in while thread 1 still held the lock', () => {
    const run = lockRun(PLANS.releaseNotHeld, both({}, { overlaps: 1 }));
    expect(judgeReleaseNotHeld(run).message).toMatch(
      /^thread 2's acquire\(\) returned while thread 1 still held the lock twice/,
    );
  });

  it('cannot pass a run whose threads never tried the release()', () => {
    const run = lockRun(PLANS.releaseNotHeld, [ledgerRow(), ledgerRow()]);
    expect(judgeReleaseNotHeld(run)).toMatchObject({
      passed: false,
      message: expect.stringMatching(/^could not be checked/),
    });
  });
});

describe('reentrant-lock independent-locks judge', () => {
  it('passes two locks each taken while the other was held', () => {
    expect(judgeIndependentLocks(lockRun(PLANS.twoLocks, [ledgerRow(), ledgerRow()]))).toEqual({
      passed: true,
      message: 'the locks at index 1 and 3 (INTS is 2) were each taken while the other was held',
    });
  });

  it('names the acquire() that waited on the other lock’s cell', () => {
    const run = lockRun(
      PLANS.twoLocks,
      [ledgerRow({ place: 'holding', depth: 1 }), ledgerRow({ place: 'acquiring' })],
      {
        threads: [
          asleepReport(0, { buffer: 'signals', index: 1, expected: 0, current: 0 }),
          asleepReport(1, { buffer: 'state', index: 0 }),
        ],
        evidence: deadlock,
      },
    );
    expect(judgeIndependentLocks(run).message).toBe(
      "thread 2's acquire() on the lock at index 3 did not return while thread 1 held the lock at index 1 (deadlock after 104 ms): " +
        'it waits on state[0] == 1, still 1; a ReentrantLock must use only its INTS cells from state[index] on',
    );
  });
});
