import {
  countingBounds,
  judgeCountingFinished,
  judgeExclusion,
  judgeIncrementDecrement,
} from './counting-judges';
import { asleep, countingRun, evidence, tallyRow, thread } from './testing/hand-made-runs';

const fourThreads = (rounds: number) => [0, 1, 2, 3].map(() => tallyRow(rounds));

describe('race-free-counter counting judges', () => {
  it('passes a run whose counter holds every increment and where nobody was ever inside together', () => {
    const run = countingRun({ tally: fourThreads(100_000), counter: 400_000 });
    expect(judgeExclusion(run)).toEqual({ passed: true });
    expect(judgeCountingFinished(run)).toEqual({ passed: true });
  });

  it('reports lost increments with the count, the share, the threads and the run', () => {
    const tally = fourThreads(100_000);
    tally[1].overlaps = 700;
    tally[2].overlaps = 112;
    const run = countingRun({ tally, counter: 400_000 - 6214 });
    expect(judgeExclusion(run)).toEqual({
      passed: false,
      message:
        'lost 6,214 of 400,000 increments (1.6%) with 4 threads on run 2 of 3; ' +
        'a thread got into the critical section while another was still inside 812 times',
    });
  });

  it('fails two threads inside at once even when no increment happened to be lost', () => {
    const tally = fourThreads(1000);
    tally[3].overlaps = 2;
    expect(judgeExclusion(countingRun({ tally, counter: 4000 }))).toEqual({
      passed: false,
      message:
        'a thread got into the critical section while another was still inside 2 times with 4 threads on run 2 of 3 ' +
        '(no increment happened to be lost this time)',
    });
  });

  it('counts a stopped run over the rounds that finished, allowing the update of a thread stopped inside', () => {
    const tally = [
      tallyRow(500, 'in lock()'),
      tallyRow(700, 'holding the lock'),
      tallyRow(300, 'in unlock()'),
    ];
    expect(countingBounds({ alternate: false, tally })).toEqual({ low: 1500, high: 1502, updates: 1500 });
    const stopped = evidence(
      [asleep(0, {}), thread(1, { end: { kind: 'stopped' } }), thread(2, { end: { kind: 'stopped' } })],
      {
        status: 'timeout',
      },
    );
    expect(judgeExclusion(countingRun({ tally, counter: 1501, evidence: stopped })).passed).toBe(true);
    expect(judgeExclusion(countingRun({ tally, counter: 1400, evidence: stopped }))).toEqual({
      passed: false,
      message:
        'lost 100 of 1,500 increments (6.7%) with 3 threads on run 2 of 3 ' +
        '(counted over the rounds that finished before the run was stopped)',
    });
  });

  it('names the thread that threw and its line', () => {
    const threw = evidence([
      thread(0),
      thread(1, {
        end: {
          kind: 'threw',
          message: 'TypeError: this.state is undefined',
          location: { line: 9, column: 5 },
        },
      }),
    ]);
    expect(
      judgeExclusion(
        countingRun({ tally: [tallyRow(10), tallyRow(0, 'in lock()')], counter: 10, evidence: threw }),
      ),
    ).toEqual({
      passed: false,
      message: 'thread 2 threw TypeError: this.state is undefined (line 9) with 2 threads on run 2 of 3',
    });
    expect(
      judgeCountingFinished(
        countingRun({ tally: [tallyRow(10), tallyRow(0, 'in lock()')], counter: 10, evidence: threw }),
      ),
    ).toEqual({
      passed: false,
      message:
        'thread 2 threw TypeError: this.state is undefined (line 9) with 2 threads on run 2 of 3, so it did not finish its rounds',
    });
  });

  it('wants the increment/decrement pair back at 0, and says who added and who subtracted', () => {
    const label = 'with 4 threads on run 1 of 2';
    const tally = fourThreads(100_000);
    expect(judgeIncrementDecrement(countingRun({ tally, counter: 0, alternate: true, label }))).toEqual({
      passed: true,
    });
    expect(judgeIncrementDecrement(countingRun({ tally, counter: 137, alternate: true, label }))).toEqual({
      passed: false,
      message:
        'the counter ended at 137 instead of 0 after each thread added 1 and subtracted 1 in turn (400,000 updates in all) ' +
        'with 4 threads on run 1 of 2',
    });
  });

  it('fails the pair when threads were inside together, even if the losses cancelled out', () => {
    const tally = fourThreads(1000);
    tally[0].overlaps = 3;
    expect(judgeIncrementDecrement(countingRun({ tally, counter: 0, alternate: true }))).toEqual({
      passed: false,
      message:
        'the counter ended at 0 as it should, but only by luck: a thread got into the critical section while ' +
        'another was still inside 3 times with 4 threads on run 2 of 3, and the updates lost cancelled out',
    });
  });

  it('allows, in the pair, the one update of a thread stopped inside its round, whichever way it goes', () => {
    // Thread 2 (odd: subtracts first) finished 5 rounds (-1 +1 -1 +1 -1) and was stopped in its 6th (+1).
    const tally = [tallyRow(900), tallyRow(5, 'holding the lock'), tallyRow(910)];
    expect(countingBounds({ alternate: true, tally })).toEqual({ low: -1, high: 0, updates: 1815 });
    const stopped = evidence([thread(0), thread(1, { end: { kind: 'stopped' } }), thread(2)], {
      status: 'timeout',
    });
    for (const counter of [-1, 0]) {
      expect(
        judgeIncrementDecrement(countingRun({ tally, counter, alternate: true, evidence: stopped })).passed,
      ).toBe(true);
    }
    expect(
      judgeIncrementDecrement(countingRun({ tally, counter: 1, alternate: true, evidence: stopped })),
    ).toMatchObject({
      passed: false,
      message: expect.stringMatching(/^the counter ended at 1 instead of between -1 and 0 after each thread/),
    });
  });

  it('reports a deadlock with the sleeper nobody woke first, where it waits and in which round', () => {
    const tally = [tallyRow(4000), tallyRow(3100, 'in lock()'), tallyRow(1234, 'in lock()'), tallyRow(4000)];
    const run = countingRun({
      tally,
      counter: 12_334,
      evidence: evidence(
        [
          thread(0),
          asleep(1, { expected: 2, current: 2 }),
          asleep(2, { expected: 2, current: 0 }),
          thread(3),
        ],
        { status: 'deadlock', wallMs: 812.4 },
      ),
    });
    expect(judgeCountingFinished(run)).toEqual({
      passed: false,
      message:
        'deadlock after 812 ms with 4 threads on run 2 of 3: ' +
        'thread 3 still blocked in lock() (round 1,235): waits on state[0] == 2, now 0 — nobody woke it (lost wake-up); ' +
        'thread 2 still blocked in lock() (round 3,101): waits on state[0] == 2, still 2',
    });
    expect(judgeExclusion(run).passed).toBe(true);
  });

  it('reports a thread still running at the time limit as not asleep', () => {
    const run = countingRun({
      tally: [tallyRow(10, 'in lock()'), tallyRow(10, 'holding the lock')],
      counter: 20,
      evidence: evidence([thread(0, { end: { kind: 'stopped' } }), thread(1, { end: { kind: 'stopped' } })], {
        status: 'timeout',
        wallMs: 3000,
      }),
    });
    expect(judgeCountingFinished(run)).toEqual({
      passed: false,
      message:
        'not finished after 3,000 ms with 2 threads on run 2 of 3: ' +
        'thread 1 still running in lock() (round 11), not asleep in Atomics.wait; ' +
        'thread 2 still running while holding the lock (round 11), not asleep in Atomics.wait',
    });
  });
});
