import { threadReport } from '../lib/testing/hand-made-evidence';
import { judgeHoldExclusion, judgeHoldWaitersSleep } from './hold-judges';
import { ledgerRow, lockRun, PLANS } from './testing/hand-made-lock-runs';

const deadlock = { status: 'deadlock' as const, wallMs: 104 };

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
