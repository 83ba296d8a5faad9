import { asleep, evidence, tallyRow, thread, twoIndexesRun } from './testing/hand-made-runs';
import { judgeIndependentIndexes } from './two-indexes-judge';

describe('race-free-counter: two mutexes at different indexes', () => {
  it('passes when each thread took its own lock while the other held the other one', () => {
    expect(judgeIndependentIndexes(twoIndexesRun())).toEqual({
      passed: true,
      message: 'the mutexes at index 1 and 3 were each taken while the other was held',
    });
  });

  it('names the lock() that waited for the other mutex, and the cell it waits on', () => {
    const run = twoIndexesRun({
      tally: [tallyRow(0, 'holding the lock'), tallyRow(0, 'in lock()')],
      evidence: evidence(
        [
          asleep(0, { buffer: 'signals', index: 1, expected: 0, current: 0 }),
          asleep(1, { buffer: 'state', index: 0, expected: 1, current: 1 }),
        ],
        { status: 'deadlock', wallMs: 110 },
      ),
    });
    expect(judgeIndependentIndexes(run)).toEqual({
      passed: false,
      message:
        "thread 2's lock() on the mutex at index 3 did not return while thread 1 held the mutex at index 1 " +
        '(deadlock after 110 ms): it waits on state[0] == 1, still 1, a cell that is not state[3]; ' +
        'a Mutex must use state[index] only',
    });
  });

  it('says so when the blocked lock() spins instead of sleeping', () => {
    const run = twoIndexesRun({
      tally: [tallyRow(0, 'holding the lock'), tallyRow(0, 'in lock()')],
      evidence: evidence(
        [
          asleep(0, { buffer: 'signals', index: 1, expected: 0, current: 0 }),
          thread(1, { end: { kind: 'stopped' } }),
        ],
        { status: 'timeout', wallMs: 2000 },
      ),
    });
    expect(judgeIndependentIndexes(run)).toMatchObject({
      passed: false,
      message: expect.stringContaining(
        "thread 2's lock() on the mutex at index 3 did not return while thread 1 held the mutex at index 1 (stopped after 2,000 ms): it was still running there, not asleep",
      ),
    });
  });

  it('does not blame the other mutex when the lock() stuck was not waiting for it', () => {
    const run = twoIndexesRun({
      tally: [tallyRow(1, 'between rounds'), tallyRow(1, 'in lock()')],
      evidence: evidence(
        [
          asleep(0, { buffer: 'signals', index: 2, expected: 0, current: 0 }),
          asleep(1, { index: 3, expected: 1, current: 1 }),
        ],
        { status: 'deadlock', wallMs: 105 },
      ),
    });
    expect(judgeIndependentIndexes(run)).toEqual({
      passed: false,
      message:
        "thread 2's lock() on the mutex at index 3 did not return although thread 1 held no lock " +
        '(deadlock after 105 ms): it waits on state[3] == 1, still 1; nobody held the mutex at index 3, so it should have been free',
    });
  });
});
