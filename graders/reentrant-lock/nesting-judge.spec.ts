import { asleepReport, threwReport } from '../lib/testing/hand-made-evidence';
import { judgeNesting } from './nesting-judge';
import { ledgerRow, lockRun, PLANS } from './testing/hand-made-lock-runs';

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
