import { judgeUnheldReleases, provenChange, unheldReleaseSteps } from './controlled-release-judge';
import { controlledRun, ledger, on, point, row, RUN_NAME, trace } from './testing/hand-made-controlled-runs';

// The lock at index 4 (INTS 2): state[4] its holder, state[5] how deep.
const FIRST = 4;

describe('reentrant-lock judge of release() by a thread holding nothing', () => {
  it('passes calls that threw and left the lock as it was, and calls not made', () => {
    const steps = trace(
      point(1, 'callsUnheldRelease'),
      on(1, 'load', 4, 1),
      point(1, 'unheldThrew'),
      point(2, 'callsUnheldRelease'),
      on(2, 'load', 4, 0),
      point(2, 'unheldThrew'),
    );
    const calls = ledger([
      row(),
      row({ unheldRelease: 'threw', unheldHolder: { thread: 0, depth: 2 }, before: [1, 2], after: [1, 2] }),
      row({ unheldRelease: 'threw', before: [0, 0], after: [0, 0] }),
    ]);
    expect(judgeUnheldReleases(controlledRun({ trace: steps }), calls, FIRST)).toBeUndefined();
  });

  it('fails a call that returned, naming who held the lock then, what it changed and its steps', () => {
    const steps = trace(
      point(2, 'callsUnheldRelease'),
      on(2, 'sub', 5, 2, 1),
      on(0, 'load', 4, 1),
      point(2, 'unheldReturned'),
    );
    const calls = ledger([
      row(),
      row(),
      row({
        unheldRelease: 'returned',
        unheldHolder: { thread: 0, depth: 2 },
        before: [1, 2],
        after: [1, 1],
      }),
    ]);
    expect(judgeUnheldReleases(controlledRun({ trace: steps }), calls, FIRST)).toEqual({
      passed: false,
      message:
        'release() by thread 3, which did not hold the lock (thread 1 held it 2 deep), returned instead of throwing an Error ' +
        `(and changed state[5] from 2 to 1), on ${RUN_NAME}: thread 3 calls release(), holding nothing; ` +
        "thread 3 Atomics.sub on state[5]: 2 -> 1; thread 3's release() returned without throwing",
    });
  });

  it('fails a call that threw but changed a cell of the lock first', () => {
    const steps = trace(point(0, 'callsUnheldRelease'), on(0, 'sub', 5, 0, -1), point(0, 'unheldThrew'));
    const calls = ledger([row({ unheldRelease: 'threw', before: [0, 0], after: [0, -1] }), row()]);
    expect(judgeUnheldReleases(controlledRun({ trace: steps }), calls, FIRST)?.message).toBe(
      'release() by thread 1, which did not hold the lock (nobody held it), threw as it should, but changed state[5] from 0 to -1 ' +
        `first: a release() that throws must change nothing, on ${RUN_NAME}: thread 1 calls release(), holding nothing; ` +
        "thread 1 Atomics.sub on state[5]: 0 -> -1; thread 1's release() threw",
    );
  });

  it('does not blame the caller for a change another thread may have made meanwhile', () => {
    // Thread 2 takes the lock while thread 1's release() runs: state[4] and state[5] change, but not by thread 1.
    const steps = trace(
      point(0, 'callsUnheldRelease'),
      on(1, 'compareExchange', 4, 0, 2),
      on(0, 'load', 4, 2),
      on(1, 'store', 5, 0, 1),
      point(0, 'unheldThrew'),
    );
    const caller = row({ unheldRelease: 'threw', before: [0, 0], after: [2, 1] });
    expect(provenChange(caller, unheldReleaseSteps(steps, 0), 0, FIRST)).toBeNull();
    expect(
      judgeUnheldReleases(controlledRun({ trace: steps }), ledger([caller, row()]), FIRST),
    ).toBeUndefined();
  });

  it('does not judge a change whose call the trace no longer holds, but still fails a call that returned', () => {
    const steps = trace(on(0, 'sub', 5, 0, -1), point(0, 'unheldThrew'));
    expect(unheldReleaseSteps(steps, 0)).toBeNull();
    const changed = row({ unheldRelease: 'threw', before: [0, 0], after: [0, -1] });
    expect(judgeUnheldReleases(controlledRun({ trace: steps }), ledger([changed]), FIRST)).toBeUndefined();
    const returned = row({ unheldRelease: 'returned', before: [0, 0], after: [0, -1] });
    expect(judgeUnheldReleases(controlledRun({ trace: steps }), ledger([returned]), FIRST)?.message).toBe(
      `release() by thread 1, which did not hold the lock (nobody held it), returned instead of throwing an Error, on ${RUN_NAME}`,
    );
  });

  it('names the earliest call first when several went wrong', () => {
    const steps = trace(
      point(1, 'callsUnheldRelease'),
      point(1, 'unheldReturned'),
      point(0, 'callsUnheldRelease'),
      point(0, 'unheldReturned'),
    );
    const calls = ledger([row({ unheldRelease: 'returned' }), row({ unheldRelease: 'returned' })]);
    expect(judgeUnheldReleases(controlledRun({ trace: steps }), calls, FIRST)?.message).toMatch(
      /^release\(\) by thread 2, which did not hold the lock/,
    );
  });
});
