import { judgeControlledRounds } from './controlled-rounds-judge';
import {
  asleep,
  controlledRun,
  finished,
  ledger,
  on,
  point,
  row,
  RUN_NAME,
  threw,
  trace,
} from './testing/hand-made-controlled-runs';

const counter = (thread: number, action: 'read' | 'write', value: number) => ({
  thread,
  action,
  buffer: 'counter',
  index: 0,
  value,
  extra: 0,
});

describe('reentrant-lock controlled rounds judge', () => {
  it('passes a completed run where every update arrived and no acquire() let a second thread in', () => {
    expect(judgeControlledRounds(controlledRun(), ledger([row(), row(), row()]))).toEqual({});
  });

  it('fails exclusion when acquire() let a thread in while another held the lock, with the steps up to that acquire()', () => {
    const steps = trace(
      point(0, 'callsAcquire'),
      point(1, 'callsAcquire'),
      on(0, 'load', 0, 0),
      on(1, 'load', 0, 0),
      on(0, 'store', 0, 0, 1),
      point(0, 'acquired', 1),
      on(1, 'store', 0, 1, 2),
      point(1, 'acquired', 1),
      point(1, 'overlap', 0),
      counter(0, 'read', 0),
    );
    const overlap = { thread: 0, depth: 1, roundDepth: 3, released: 0 };
    const verdicts = judgeControlledRounds(
      controlledRun({ trace: steps }),
      ledger([row(), row({ overlap }), row()]),
    );
    expect(verdicts).toEqual({
      exclusion: {
        passed: false,
        message:
          `thread 2's acquire() returned while thread 1 held the lock 1 deep, on ${RUN_NAME}: ` +
          'thread 1 calls acquire(); thread 2 calls acquire(); thread 1 loaded state[0] = 0; thread 2 loaded state[0] = 0; ' +
          "thread 1 stored state[0] = 1; thread 1's acquire() returned: it holds the lock 1 deep; thread 2 stored state[0] = 2; " +
          "thread 2's acquire() returned: it holds the lock 1 deep",
      },
    });
  });

  it('says the holder was on its way out when a thread got in after one of its nested releases', () => {
    const overlap = { thread: 0, depth: 1, roundDepth: 2, released: 1 };
    const verdicts = judgeControlledRounds(controlledRun(), ledger([row(), row({ overlap }), row()]));
    expect(verdicts.exclusion?.message).toMatch(
      /^thread 2's acquire\(\) returned while thread 1 held the lock 1 deep \(it had acquired it 2 times in a row and released it 1 time\), on controlled run 7 of 150/,
    );
  });

  it('fails exclusion on an update lost in a completed run, with the steps on the counter', () => {
    const steps = trace(
      counter(0, 'read', 3),
      on(0, 'load', 0, 1),
      counter(1, 'read', 3),
      counter(0, 'write', 4),
      counter(1, 'write', 4),
    );
    const verdicts = judgeControlledRounds(
      controlledRun({ trace: steps }),
      ledger([row(), row(), row()], 17),
    );
    expect(verdicts.exclusion?.message).toBe(
      `lost 1 of 18 updates made while holding the lock, on ${RUN_NAME}: thread 1 read the counter = 3; ` +
        'thread 2 read the counter = 3; thread 1 wrote the counter = 4; thread 2 wrote the counter = 4',
    );
  });

  it("fails nested-acquisition when a holder's release() threw while it still held the lock after nesting", () => {
    const verdicts = judgeControlledRounds(
      controlledRun({ threads: [threw(0, 'Error: not held', 26), finished(1), finished(2)] }),
      ledger([row({ place: 'releasing', depth: 1, roundDepth: 2 }), row(), row()]),
    );
    expect(verdicts['nested-acquisition']?.message).toBe(
      "thread 1's release() threw Error: not held (line 26) while it still held the lock 1 deep (it had acquired it " +
        `2 times in a row and released it 1 time), on ${RUN_NAME}: the lock must count how deep its holder is and ` +
        'stay held until the last release(). Last steps: ',
    );
  });

  it('fails exclusion, with where it was, when a thread threw anywhere else', () => {
    const verdicts = judgeControlledRounds(
      controlledRun({ threads: [finished(0), threw(1, 'Error: not held'), finished(2)] }),
      ledger([row(), row({ place: 'releasing', depth: 1, roundDepth: 1 }), row()]),
    );
    expect(verdicts).toEqual({
      exclusion: {
        passed: false,
        message: `thread 2 threw Error: not held in release() (holding the lock 1 deep), on ${RUN_NAME}. Last steps: `,
      },
    });
  });

  it('fails nested-acquisition on a deadlock where a holder waits for itself, as a plain lock does', () => {
    const steps = trace(
      on(0, 'compareExchange', 0, 0, 1),
      point(0, 'callsAcquire', 1),
      on(0, 'wait', 0, 1, -1),
    );
    const run = controlledRun({
      status: 'deadlock',
      trace: steps,
      threads: [
        asleep(0, { index: 0, expected: 1, current: 1 }),
        asleep(1, { index: 0, expected: 1, current: 1 }),
      ],
    });
    const verdicts = judgeControlledRounds(
      run,
      ledger([row({ place: 'acquiring', depth: 1 }), row({ place: 'acquiring', depth: 0 })]),
    );
    expect(verdicts['nested-acquisition']?.message).toBe(
      `thread 1's 2nd acquire() in a row did not return although it already held the lock 1 deep (deadlock on ${RUN_NAME}): ` +
        'thread 1 waits for itself (state[0] = 1, set by itself), thread 2 waits for thread 1 (state[0] = 1, set by thread 1): ' +
        'a thread that waits for a change only it could make never wakes. A thread that holds the lock must get it again at once. Last steps: ' +
        'thread 1 compareExchange on state[0]: found 0, set 1; thread 1 calls acquire() again, holding the lock 1 deep; ' +
        'thread 1 went to sleep on state[0] (= 1)',
    );
  });

  it('fails finishes-in-time on a lost wake-up, naming where each stuck thread sleeps', () => {
    const steps = trace(on(1, 'wait', 0, 1, -1), on(0, 'store', 0, 1, 0));
    const run = controlledRun({
      status: 'deadlock',
      trace: steps,
      threads: [finished(0), asleep(1, { index: 0, expected: 1, current: 0 }), finished(2)],
    });
    const verdicts = judgeControlledRounds(run, ledger([row(), row({ place: 'acquiring' }), row()]));
    expect(verdicts).toEqual({
      'finishes-in-time': {
        passed: false,
        message:
          `deadlock on ${RUN_NAME}: thread 2 in acquire() sleeps on state[0] until it is no longer 1 (it is 0): ` +
          'nobody woke it (a lost wake-up). Last steps: thread 2 went to sleep on state[0] (= 1); thread 1 stored state[0] = 0',
      },
    });
  });

  it('says who waits for whom when the lock stays held by a thread that has finished', () => {
    const steps = trace(on(0, 'compareExchange', 0, 0, 1), on(1, 'wait', 0, 1, -1));
    const run = controlledRun({
      status: 'deadlock',
      trace: steps,
      threads: [finished(0), asleep(1, { index: 0, expected: 1, current: 1 }), finished(2)],
    });
    const message = judgeControlledRounds(run, ledger([row(), row({ place: 'acquiring' }), row()]))[
      'finishes-in-time'
    ]?.message;
    expect(message).toMatch(
      /^deadlock on .*: thread 2 in acquire\(\) sleeps on state\[0\] until it is no longer 1 \(it is 1\)\. Who waits for whom: thread 2 waits for thread 1 \(state\[0\] = 1, set by thread 1\)\. Last steps: /,
    );
  });

  it('judges nothing more on a run stopped at the step limit or by real time: it proves nothing', () => {
    const stuckRows = ledger([row({ place: 'holding', depth: 1 }), row({ place: 'acquiring', depth: 1 })], 0);
    for (const status of ['step-limit', 'timeout'] as const) {
      const run = controlledRun({
        status,
        threads: [
          asleep(0, { index: 0, expected: 1, current: 1 }),
          asleep(1, { index: 0, expected: 1, current: 1 }),
        ],
      });
      expect(judgeControlledRounds(run, stuckRows)).toEqual({});
    }
  });
});
