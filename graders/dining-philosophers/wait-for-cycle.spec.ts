import { asleepReport, threadReport, threwReport } from '../lib/testing/hand-made-evidence';
import { deadlockedTable, philosopherRow, tableRun } from './testing/hand-made-tables';
import { findWaitCycle, judgeNoDeadlock } from './wait-for-cycle';

describe('dining-philosophers wait-for cycle', () => {
  it('reports a deadlock and names the cycle when every philosopher takes the left fork first', () => {
    expect(judgeNoDeadlock(deadlockedTable(5))).toEqual({
      passed: false,
      message:
        'deadlock after 131 ms with 5 seats (run 1 of 2): philosopher 0 holds fork 0 and waits for fork 1; ' +
        'philosopher 1 holds fork 1 and waits for fork 2; philosopher 2 holds fork 2 and waits for fork 3; ' +
        'philosopher 3 holds fork 3 and waits for fork 4; philosopher 4 holds fork 4 and waits for fork 0 ' +
        '(every philosopher picked up fork `seat` first, so each one waits for its neighbour for ever)',
    });
  });

  it('names the circle from its lowest seat, whichever seat the search starts at', () => {
    // Philosopher 0 waits for fork 2 held by 2 (not in a circle); 2 and 1 wait for each other.
    const run = tableRun(3, {
      philosophers: [
        philosopherRow({ waitingFor: 2, place: 'acquiring' }),
        philosopherRow({ waitingFor: 1, place: 'acquiring' }),
        philosopherRow({ waitingFor: 2, place: 'acquiring' }),
      ],
      forkOwners: [null, 2, 1],
      threads: [0, 1, 2].map((seat) => asleepReport(seat, { buffer: 'forks', index: seat === 1 ? 1 : 2 })),
      evidence: { status: 'deadlock', wallMs: 240 },
    });
    expect(findWaitCycle(run)).toEqual([
      { philosopher: 1, fork: 1, holder: 2 },
      { philosopher: 2, fork: 2, holder: 1 },
    ]);
    expect(judgeNoDeadlock(run)).toMatchObject({
      passed: false,
      message: expect.stringContaining(
        'philosopher 1 holds fork 2 and waits for fork 1; philosopher 2 holds fork 1 and waits for fork 2 ' +
          '(each waits for a fork the next one holds',
      ),
    });
  });

  it('calls a philosopher that waits for a fork it holds itself a circle of one', () => {
    const run = tableRun(2, {
      philosophers: [
        philosopherRow({ waitingFor: 0, place: 'acquiring' }),
        philosopherRow({ waitingFor: 0 }),
      ],
      forkOwners: [0, null],
      threads: [
        asleepReport(0, { buffer: 'forks', index: 0 }),
        asleepReport(1, { buffer: 'forks', index: 0 }),
      ],
      evidence: { status: 'deadlock' },
    });
    expect(judgeNoDeadlock(run)).toEqual({
      passed: false,
      message:
        'deadlock after 180 ms with 2 seats (run 1 of 2): philosopher 0 holds fork 0 and waits for fork 0, ' +
        'which it holds itself: acquire() does not give a philosopher a fork it already holds',
    });
  });

  it('finds no circle when the waited-for fork belongs to a philosopher that threw', () => {
    const run = tableRun(2, {
      philosophers: [philosopherRow({ waitingFor: 1, place: 'acquiring' }), philosopherRow({ meals: 0 })],
      forkOwners: [0, 1],
      threads: [asleepReport(0, { buffer: 'forks', index: 1 }), threwReport(1, 'RangeError: acquire(2)')],
      evidence: { status: 'deadlock' },
    });
    expect(findWaitCycle(run)).toBeNull();
    expect(judgeNoDeadlock(run)).toEqual({ passed: true });
  });

  it('ignores what the ledger says about a philosopher whose thread returned', () => {
    const run = deadlockedTable(2);
    run.evidence.threads[1] = threadReport(1);
    expect(findWaitCycle(run)).toBeNull();
  });

  it('passes a table that finished', () => {
    expect(judgeNoDeadlock(tableRun(7))).toEqual({ passed: true });
  });
});
