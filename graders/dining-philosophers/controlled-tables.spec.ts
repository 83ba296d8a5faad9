import type { ControlledRunEvidence } from '../grader-api';
import { judgeControlledTable } from './controlled-tables';
import { deadlockedTable, philosopherRow, tableRun } from './testing/hand-made-tables';
import type { TableRun } from './table-runs';

/** The controlled run behind a hand-made table: its threads, status and a short trace on the forks. */
function controlledRun(table: TableRun, status: ControlledRunEvidence['status']): ControlledRunEvidence {
  return {
    run: 4,
    runs: 30,
    schedule: { strategy: 'pct', depth: 3, seed: '1234abcd' },
    status,
    steps: 50,
    threads: table.evidence.threads.map(({ index, threadId, end, waitingOn }) => ({
      index,
      threadId,
      end,
      waitingOn,
      steps: 10,
    })),
    trace: [
      { step: 1, thread: 0, action: 'compareExchange', buffer: 'forks', index: 0, value: 0, extra: 1 },
      { step: 2, thread: 0, action: 'store', buffer: 'ledger', index: 22, value: 2, extra: 2 },
      { step: 3, thread: 1, action: 'compareExchange', buffer: 'forks', index: 1, value: 0, extra: 2 },
    ],
    console: [],
  };
}

describe('dining-philosophers controlled tables', () => {
  it('fails no-deadlock with the circle and the steps on the forks, the ledger left out', () => {
    const table = deadlockedTable(2);
    const verdicts = judgeControlledTable(controlledRun(table, 'deadlock'), table);
    expect(verdicts['no-deadlock']?.message).toBe(
      'deadlock with 2 seats (run 1 of 2): philosopher 0 holds fork 0 and waits for fork 1; philosopher 1 holds fork 1 and waits for fork 0 ' +
        '(every philosopher picked up fork `seat` first, so each one waits for its neighbour for ever). ' +
        "Last steps: philosopher 0 compareExchange on fork 0's owner: found 0, set 1; philosopher 1 compareExchange on fork 1's owner: found 0, set 2",
    );
    expect(verdicts['finishes-in-time']).toBeUndefined();
  });

  it('fails finishes-in-time, not no-deadlock, when a fork is kept by a philosopher that returned', () => {
    const table = tableRun(2, {
      philosophers: [philosopherRow({ meals: 1, place: 'acquiring', waitingFor: 1 }), philosopherRow()],
      forkOwners: [null, 1],
      threads: deadlockedTable(2).evidence.threads.map((thread) =>
        thread.index === 1 ? { ...thread, end: { kind: 'returned', value: null }, waitingOn: null } : thread,
      ),
      evidence: { status: 'deadlock' },
    });
    const verdicts = judgeControlledTable(controlledRun(table, 'deadlock'), table);
    expect(verdicts['no-deadlock']).toBeUndefined();
    expect(verdicts['finishes-in-time']?.message).toMatch(
      /^no philosopher could move with 2 seats \(run 1 of 2\): philosopher 0 waits in acquire\(1\) for fork 1, which philosopher 1 still held when it returned\. Last steps: /,
    );
    expect(verdicts['forks-released']?.message).toMatch(
      /^fork 1 was still held by philosopher 1 after it returned/,
    );
  });

  it('judges nothing on a run stopped at the step limit, and nothing wrong on a clean table', () => {
    const table = deadlockedTable(2);
    expect(judgeControlledTable(controlledRun(table, 'step-limit'), table)).toEqual({});
    const clean = tableRun(3);
    expect(judgeControlledTable(controlledRun(clean, 'completed'), clean)).toEqual({});
  });
});
