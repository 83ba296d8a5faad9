import { asleepReport, threadReport, threwReport } from '../lib/testing/hand-made-evidence';
import { judgeForksReleased, judgeMeals, judgeTableFinished } from './table-judges';
import { deadlockedTable, philosopherRow, tableRun } from './testing/hand-made-tables';

describe('dining-philosophers meals judge', () => {
  it('passes a table where everyone ate exactly its meals holding both forks', () => {
    expect(judgeMeals(tableRun(5))).toEqual({ passed: true });
  });

  it('names the philosopher that ate without both of its forks, and who held the missing one', () => {
    const philosophers = [0, 1, 2, 3, 4].map(() => philosopherRow());
    philosophers[4] = philosopherRow({
      mealsWithoutForks: 3,
      firstBadMeal: { meal: 2, leftOwner: 4, rightOwner: 0 },
    });
    expect(judgeMeals(tableRun(5, { philosophers }))).toEqual({
      passed: false,
      message:
        'philosopher 4 ate meal 2 of 12 with 5 seats (run 1 of 2) without holding both of its forks 4 and 0: ' +
        'it held fork 4, but fork 0 was held by philosopher 0 (philosopher `seat` eats with forks `seat` and `(seat + 1) % seats`)',
    });
  });

  it('says when neither fork was held by the philosopher that ate', () => {
    const philosophers = [
      philosopherRow(),
      philosopherRow({ firstBadMeal: { meal: 1, leftOwner: null, rightOwner: 0 } }),
    ];
    expect(judgeMeals(tableRun(2, { philosophers }))?.message).toContain(
      'without holding both of its forks 1 and 0: fork 1 was free and fork 0 was held by philosopher 0',
    );
  });

  it('names the philosopher that threw, with its line and how far it got', () => {
    const run = tableRun(2, {
      philosophers: [philosopherRow(), philosopherRow({ meals: 0, place: 'acquiring' })],
      threads: [threadReport(0), threwReport(1, 'RangeError: acquire(2): there is no such fork', 23)],
    });
    expect(judgeMeals(run)).toEqual({
      passed: false,
      message:
        'philosopher 1 threw RangeError: acquire(2): there is no such fork (line 23) after 0 meals of 12 with 2 seats (run 1 of 2)',
    });
  });

  it('fails one meal too many even on a table that did not finish', () => {
    const run = deadlockedTable(2);
    run.philosophers[1] = philosopherRow({ meals: 13 });
    expect(judgeMeals(run)).toEqual({
      passed: false,
      message: 'philosopher 1 ate 13 times instead of 12 with 2 seats (run 1 of 2)',
    });
  });

  it('fails a philosopher that returned hungry', () => {
    const philosophers = [philosopherRow(), philosopherRow(), philosopherRow({ meals: 11 })];
    expect(judgeMeals(tableRun(3, { philosophers }))).toEqual({
      passed: false,
      message: 'philosopher 2 returned after eating 11 times instead of 12 with 3 seats (run 1 of 2)',
    });
  });

  it('leaves too few meals on a stopped table to finishes-in-time', () => {
    expect(judgeMeals(deadlockedTable(5))).toBeNull();
  });
});

describe('dining-philosophers forks-released judge', () => {
  it('passes a table whose forks are all free at the end', () => {
    expect(judgeForksReleased(tableRun(5))).toEqual({ passed: true });
  });

  it('fails a release() of a fork the caller did not hold, naming its holder', () => {
    const philosophers = [
      philosopherRow(),
      philosopherRow({ badReleases: 1, firstBadRelease: { fork: 0, owner: 0 } }),
    ];
    expect(judgeForksReleased(tableRun(2, { philosophers }))).toEqual({
      passed: false,
      message:
        'philosopher 1 called release(0) without holding fork 0 (philosopher 0 held it) with 2 seats (run 1 of 2): ' +
        'release() throws an Error then',
    });
  });

  it('fails a philosopher that returned still holding a fork, also on a table that did not finish', () => {
    const run = tableRun(2, {
      forkOwners: [0, 0],
      threads: [threadReport(0), asleepReport(1, { buffer: 'forks', index: 0 })],
      philosophers: [philosopherRow(), philosopherRow({ meals: 11, waitingFor: 0 })],
      evidence: { status: 'deadlock' },
    });
    expect(judgeForksReleased(run)).toEqual({
      passed: false,
      message:
        'fork 0 was still held by philosopher 0 after it returned with 2 seats (run 1 of 2): ' +
        'a philosopher releases every fork before it returns',
    });
  });

  it('does not blame forks held by the philosophers of a deadlock', () => {
    expect(judgeForksReleased(deadlockedTable(7))).toEqual({ passed: true });
  });
});

describe('dining-philosophers finishes-in-time judge', () => {
  it('passes a table that finished', () => {
    expect(judgeTableFinished(tableRun(2))).toEqual({ passed: true });
  });

  it('points a circular wait to no-deadlock', () => {
    expect(judgeTableFinished(deadlockedTable(5))).toEqual({
      passed: false,
      message:
        'deadlock after 131 ms with 5 seats (run 1 of 2): 5 philosophers in a circle, each waiting for a fork the next one holds (see no-deadlock)',
    });
  });

  it('says whose fork a stuck philosopher waits for, and what became of its holder', () => {
    const run = tableRun(3, {
      forkOwners: [null, 0, 2],
      philosophers: [
        philosopherRow({ meals: 3, waitingFor: 2 }),
        philosopherRow({ meals: 4, waitingFor: 1 }),
        philosopherRow({ meals: 2 }),
      ],
      threads: [
        asleepReport(0, { buffer: 'forks', index: 2 }),
        asleepReport(1, { buffer: 'forks', index: 1 }),
        threwReport(2, 'Error: oops'),
      ],
      evidence: { status: 'deadlock', wallMs: 412 },
    });
    expect(judgeTableFinished(run)).toEqual({
      passed: false,
      message:
        'deadlock after 412 ms with 3 seats (run 1 of 2): philosopher 0 waits in acquire(2) for fork 2, which philosopher 2 still held when it threw; ' +
        'philosopher 1 waits in acquire(1) for fork 1, which philosopher 0 holds',
    });
  });

  it('names a philosopher still running its own code at the time limit', () => {
    const run = tableRun(2, {
      philosophers: [philosopherRow(), philosopherRow({ meals: 5, place: 'outside' })],
      threads: [threadReport(0), threadReport(1, { end: { kind: 'stopped' } })],
      evidence: { status: 'timeout', wallMs: 4000 },
    });
    expect(judgeTableFinished(run)).toEqual({
      passed: false,
      message:
        'not finished after 4,000 ms with 2 seats (run 1 of 2): philosopher 1 still running in its own code, not asleep in Atomics.wait',
    });
  });
});
