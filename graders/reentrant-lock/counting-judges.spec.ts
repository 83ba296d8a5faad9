import { asleepReport, threadReport, threwReport } from '../lib/testing/hand-made-evidence';
import { judgeCountingExclusion, judgeLockRunFinished } from './counting-judges';
import { ledgerRow, lockRun, PLANS } from './testing/hand-made-lock-runs';

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
    expect(judgeLockRunFinished(run)?.message).toBe(
      'deadlock after 611 ms with 3 threads nesting 1 to 3 deep on run 1 of 2: thread 2 still blocked in acquire(): ' +
        'waits on state[2] == 3, now 0 — nobody woke it (lost wake-up)',
    );
  });

  it('does not judge finishing on a run left waiting after a thread threw: the throw fails its own check', () => {
    const run = lockRun(
      PLANS.counting,
      [ledgerRow({ place: 'releasing', depth: 1 }), ledgerRow({ place: 'acquiring' })],
      {
        threads: [
          threwReport(0, 'Error: not held', 35),
          asleepReport(1, { buffer: 'state', index: 2, expected: 1, current: 1 }),
        ],
        evidence: { status: 'deadlock', wallMs: 159 },
      },
    );
    expect(judgeLockRunFinished(run)).toBeNull();
    expect(judgeLockRunFinished({ ...run, evidence: { ...run.evidence, status: 'completed' } })).toEqual({
      passed: true,
    });
    expect(judgeCountingExclusion(run).message).toMatch(
      /^thread 1 threw Error: not held \(line 35\) in release\(\)/,
    );
  });

  it('does not judge finishing on a run left waiting after two threads were inside at once: the count went wrong', () => {
    // Both inside, thread 1 finished holding the lock with the count it was left; thread 2 waits for it.
    const run = lockRun(
      PLANS.counting,
      [ledgerRow({ updates: 30, overlaps: 1 }), ledgerRow({ updates: 20, place: 'acquiring', depth: 2 })],
      {
        threads: [threadReport(0), asleepReport(1, { buffer: 'state', index: 0, expected: 1, current: 1 })],
        evidence: { status: 'deadlock', wallMs: 250 },
      },
    );
    expect(judgeLockRunFinished(run)).toBeNull();
    expect(judgeCountingExclusion(run).passed).toBe(false);
  });
});
