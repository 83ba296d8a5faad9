import { asleepReport } from '../lib/testing/hand-made-evidence';
import { ledgerRow, lockRun, PLANS } from './testing/hand-made-lock-runs';
import { judgeIndependentLocks } from './two-locks-judge';

const deadlock = { status: 'deadlock' as const, wallMs: 104 };

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
