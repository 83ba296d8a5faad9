import { pass } from '../lib/check-tally';
import { judgeControlledBarrier } from './controlled-barrier-judges';
import {
  asleep,
  calls,
  controlledRun,
  finished,
  ledger,
  returned,
  row,
  step,
  trace,
} from './testing/hand-made-controlled-runs';

const SHAPE = { parties: 2, rounds: 3 };
const WHERE = 'on controlled run 7 of 80 (PCT depth 2, schedule 00c0ffee) with 2 parties, 3 rounds each';

describe('barrier controlled-run judges', () => {
  it('passes every check on a completed run with one true per round and nobody early', () => {
    expect(judgeControlledBarrier(controlledRun(), SHAPE, ledger(2, 3))).toEqual({
      'waits-for-all': pass(),
      'one-true-per-round': pass(),
      reusable: pass(),
      'finishes-in-time': pass(),
    });
  });

  it('names who had not called wait() when a thread left round 1, with the steps up to its return', () => {
    // Thread 2 calls wait() after thread 1's wait() returned but before thread 1's return point.
    const steps = trace(
      calls(0, 1),
      step(0, 'load', 1, 0),
      step(0, 'add', 0, 0, 1),
      step(0, 'notify', 1, 0, -1),
      calls(1, 1),
      returned(0, 1, true),
    );
    const early = ledger(2, 3, { threads: [row({ early: { round: 0, arrived: 1, missing: [1] } }), row()] });
    const verdicts = judgeControlledBarrier(controlledRun({ trace: steps }), SHAPE, early);
    expect(verdicts['waits-for-all']).toEqual({
      passed: false,
      message:
        `thread 1 left wait() in round 1 when only 1 of 2 parties had called it (thread 2 had not) ${WHERE}. ` +
        'Steps up to its return: thread 1 called wait() in round 1; thread 1 loaded state[1] = 0; ' +
        "thread 1 Atomics.add on state[0]: 0 -> 1; thread 1 notified state[1], waking 0 threads; thread 1's wait() returned true in round 1",
    });
    expect(verdicts.reusable).toEqual(pass());
  });

  it('fails reusable on a thread that left a later round early, and says so when the trace no longer holds it', () => {
    const early = ledger(3, 3, {
      threads: [row(), row({ early: { round: 2, arrived: 1, missing: [0, 2] } }), row()],
    });
    const lastSteps = trace(step(1, 'add', 0, 2, 3), step(1, 'load', 0, 3));
    const verdicts = judgeControlledBarrier(
      controlledRun({ trace: lastSteps }),
      { parties: 3, rounds: 3 },
      early,
    );
    expect(verdicts.reusable?.message).toBe(
      'thread 2 left wait() in round 3 when only 1 of 3 parties had called it (thread 1 and thread 3 had not) ' +
        'on controlled run 7 of 80 (PCT depth 2, schedule 00c0ffee) with 3 parties, 3 rounds each: ' +
        'a barrier must work again in every round, without a reset. ' +
        'Last steps of the run: thread 2 Atomics.add on state[0]: 2 -> 3; thread 2 loaded state[0] = 3',
    );
    expect(verdicts['waits-for-all']).toEqual(pass());
  });

  it('names the round with no true, with that round’s steps and nothing after its last return', () => {
    const steps = trace(
      calls(0, 2),
      step(0, 'add', 0, 2, 3),
      calls(1, 2),
      step(1, 'add', 0, 3, 4),
      returned(0, 2, false),
      returned(1, 2, false),
      calls(0, 3),
    );
    const noTrue = ledger(2, 3, { truesPerRound: [1, 0, 1] });
    expect(
      judgeControlledBarrier(controlledRun({ trace: steps }), SHAPE, noTrue)['one-true-per-round'],
    ).toEqual({
      passed: false,
      message:
        `in round 2 of 3, wait() returned true in no thread instead of exactly one ${WHERE}. Steps of round 2: ` +
        'thread 1 called wait() in round 2; thread 1 Atomics.add on state[0]: 2 -> 3; thread 2 called wait() in round 2; ' +
        "thread 2 Atomics.add on state[0]: 3 -> 4; thread 1's wait() returned false in round 2; thread 2's wait() returned false in round 2",
    });
    const twoTrues = ledger(2, 3, { truesPerRound: [2, 1, 1] });
    expect(judgeControlledBarrier(controlledRun(), SHAPE, twoTrues)['one-true-per-round']?.message).toMatch(
      /^in round 1 of 3, wait\(\) returned true in 2 threads instead of exactly one on controlled run 7 of 80 .*\. Last steps of the run: $/,
    );
  });

  it('fails a wait() that returned something other than a boolean', () => {
    const odd = ledger(2, 3, { threads: [row(), row({ odd: { round: 1, kind: 'undefined' } })] });
    expect(judgeControlledBarrier(controlledRun(), SHAPE, odd)['one-true-per-round']?.message).toBe(
      `thread 2's wait() returned undefined in round 2 ${WHERE}: it must return true or false`,
    );
  });

  it('reports the counter reset race as a deadlock after a round: who sleeps in which round, and the last steps', () => {
    const run = controlledRun({
      status: 'deadlock',
      threads: [
        asleep(0, { index: 0, expected: 1, current: 1 }),
        asleep(1, { index: 0, expected: 1, current: 1 }),
      ],
      trace: trace(
        step(1, 'store', 0, 2, 0),
        step(1, 'notify', 0, 1, -1),
        returned(1, 1, true),
        calls(1, 2),
        step(1, 'add', 0, 0, 1),
        step(0, 'load', 0, 1),
        step(0, 'wait', 0, 1, -1),
        step(1, 'wait', 0, 1, -1),
      ),
    });
    const stuck = ledger(2, 3, {
      threads: [row({ rounds: 0, place: 'waiting' }), row({ rounds: 1, place: 'waiting' })],
    });
    const deadlock =
      `deadlock ${WHERE}: no thread could move: thread 1 (in wait() of round 1) sleeps on state[0] until it is no longer 1 (it is 1); ` +
      'thread 2 (in wait() of round 2) sleeps on state[0] until it is no longer 1 (it is 1). ' +
      'Who waits for whom: thread 1 waits for thread 2 (state[0] = 1, set by thread 2), thread 2 waits for itself (state[0] = 1, set by itself): a thread that waits for a change only it could make never wakes. ' +
      'Last steps: thread 2 stored state[0] = 0; ' +
      "thread 2 notified state[0], waking 1 thread; thread 2's wait() returned true in round 1; thread 2 called wait() in round 2; " +
      'thread 2 Atomics.add on state[0]: 0 -> 1; thread 1 loaded state[0] = 1; thread 1 went to sleep on state[0] (= 1); ' +
      'thread 2 went to sleep on state[0] (= 1)';
    const verdicts = judgeControlledBarrier(run, SHAPE, stuck);
    expect(verdicts['finishes-in-time']).toEqual({ passed: false, message: deadlock });
    expect(verdicts.reusable).toEqual({
      passed: false,
      message: `the barrier got stuck after thread 2 had got through 1 round: ${deadlock}`,
    });
  });

  it('names a lost wake-up in round 1, and leaves reuse unjudged when nobody got through a round', () => {
    const run = controlledRun({
      status: 'deadlock',
      threads: [asleep(0, { index: 0, expected: 1, current: 0 }), finished(1)],
    });
    const stuck = ledger(2, 3, { threads: [row({ rounds: 0, place: 'waiting' }), row({ rounds: 0 })] });
    const verdicts = judgeControlledBarrier(run, SHAPE, stuck);
    expect(verdicts['finishes-in-time']?.message).toBe(
      `deadlock ${WHERE}: no thread could move: thread 1 (in wait() of round 1) sleeps on state[0] until it is no longer 1 (it is 0). ` +
        'Nobody woke thread 1 after state[0] changed: a lost wake-up. Last steps: ',
    );
    expect(Object.keys(verdicts)).toEqual(['finishes-in-time']);
  });

  it('fails nothing on a run stopped at the step limit or by real time, and does not judge finishing there', () => {
    const partway = ledger(2, 3, {
      threads: [row({ rounds: 2, place: 'waiting' }), row({ rounds: 1, place: 'waiting' })],
    });
    for (const status of ['step-limit', 'timeout'] as const)
      expect(judgeControlledBarrier(controlledRun({ status }), SHAPE, partway)).toEqual({
        'waits-for-all': pass(),
        'one-true-per-round': pass(),
      });
  });

  it('fails waits-for-all on a thread that threw, and does not call the others stuck behind it a deadlock', () => {
    const run = controlledRun({
      status: 'deadlock',
      threads: [
        asleep(0, { index: 1, expected: 0, current: 0 }),
        finished(1, {
          end: { kind: 'threw', message: 'TypeError: x is not a function', location: { line: 9, column: 3 } },
        }),
      ],
    });
    const threw = ledger(2, 3, {
      threads: [row({ rounds: 1, place: 'waiting' }), row({ rounds: 1, place: 'waiting' })],
    });
    expect(judgeControlledBarrier(run, SHAPE, threw)).toEqual({
      'waits-for-all': {
        passed: false,
        message: `thread 2 threw TypeError: x is not a function (line 9) in wait() of round 2 ${WHERE}`,
      },
      'one-true-per-round': pass(),
    });
  });
});
