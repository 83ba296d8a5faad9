import { judgeReleaseNotHeld } from './release-not-held-judge';
import { ledgerRow, lockRun, PLANS } from './testing/hand-made-lock-runs';

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
