import type {
  ControlledRunEvidence,
  ControlledScenario,
  ExplorationSummary,
  ThreadGraderContext,
} from '../grader-api';
import type { Verdict } from '../lib/check-tally';
import { CONTROLLED_ROW_CELLS, CONTROLLED_SLOTS } from './controlled-barrier-memory';
import { exploreBarrier, sumTotals, type ControlledBarrierPlan } from './controlled-barrier-runs';
import { asleep, controlledRun } from './testing/hand-made-controlled-runs';

const PLAN: ControlledBarrierPlan = {
  parties: 2,
  rounds: 3,
  runs: 6,
  index: 4,
  strategies: [{ kind: 'random' }],
  maxSteps: 5000,
  maxStoppedRuns: 2,
  wallTimeMs: 3000,
};

/** What one scripted run leaves in the ledger: every thread through `rounds` rounds, `trues[r]` each. */
function leave(ledger: SharedArrayBuffer, rounds: number, trues: number[]): void {
  const cells = new Int32Array(ledger);
  for (let thread = 0; thread < PLAN.parties; thread++) {
    const row = thread * CONTROLLED_ROW_CELLS;
    cells[row + CONTROLLED_SLOTS.calls] = rounds;
    cells[row + CONTROLLED_SLOTS.rounds] = rounds;
    cells[row + CONTROLLED_SLOTS.place] = rounds === PLAN.rounds ? 3 : 2;
  }
  trues.forEach((count, round) => (cells[PLAN.parties * CONTROLLED_ROW_CELLS + round] = count));
}

type Scripted = (run: number, ledger: SharedArrayBuffer) => Partial<ControlledRunEvidence>;

/** A stand-in for ctx.explore: each run's ledger and evidence come from `script`, judged as the host would. */
function scriptedContext(script: Scripted): ThreadGraderContext {
  const explore = async (scenario: ControlledScenario): Promise<ExplorationSummary> => {
    let runs = 0;
    for (let run = 1; run <= scenario.runs; run++) {
      runs = run;
      const shared = scenario.shared(run);
      const evidence = controlledRun({
        run,
        runs: scenario.runs,
        ...script(run, shared.ledger as SharedArrayBuffer),
      });
      if (scenario.judge(evidence, shared) === true)
        return { runs, planned: scenario.runs, steps: 0, wallMs: 0, stoppedEarly: 'judge' };
    }
    return { runs, planned: scenario.runs, steps: 0, wallMs: 0, stoppedEarly: null };
  };
  return { explore } as unknown as ThreadGraderContext;
}

function sink() {
  const failures: [string, string][] = [];
  const failed = new Set<string>();
  return {
    failures,
    failed,
    record(check: string, verdict: Verdict) {
      if (verdict.passed) return;
      failures.push([check, verdict.message]);
      failed.add(check);
    },
  };
}

const correct: Scripted = (_, ledger) => {
  leave(ledger, 3, [1, 1, 1]);
  return {};
};

describe('barrier controlled exploration of one shape', () => {
  it('makes every run of a correct barrier and counts what it judged', async () => {
    const verdicts = sink();
    const totals = await exploreBarrier(scriptedContext(correct), PLAN, verdicts);
    expect(totals).toEqual({ runs: 6, completed: 6, stopped: 0, timeouts: 0, rounds: 18 });
    expect(verdicts.failures).toEqual([]);
  });

  it('goes on after a completed run that failed a check, and stops at the first deadlock', async () => {
    const verdicts = sink();
    const script: Scripted = (run, ledger) => {
      if (run === 2) leave(ledger, 3, [1, 0, 1]);
      else if (run === 4) {
        leave(ledger, 0, []);
        return {
          status: 'deadlock',
          threads: [
            asleep(0, { index: 5, expected: 0, current: 1 }),
            asleep(1, { index: 5, expected: 0, current: 1 }),
          ],
        };
      } else leave(ledger, 3, [1, 1, 1]);
      return {};
    };
    const totals = await exploreBarrier(scriptedContext(script), PLAN, verdicts);
    expect(totals.runs).toBe(4);
    expect(verdicts.failures.map(([check, message]) => [check, message.slice(0, 40)])).toEqual([
      ['one-true-per-round', 'in round 2 of 3, wait() returned true in'],
      ['finishes-in-time', 'deadlock on controlled run 4 of 6 (PCT d'],
    ]);
  });

  it('stops once every check it judges has failed: more runs could not change the grade', async () => {
    const verdicts = sink();
    for (const check of ['waits-for-all', 'one-true-per-round', 'reusable', 'finishes-in-time'])
      verdicts.failed.add(check);
    expect((await exploreBarrier(scriptedContext(correct), PLAN, verdicts)).runs).toBe(1);
  });

  it('stops after maxStoppedRuns runs at the step limit, failing nothing on them', async () => {
    const verdicts = sink();
    const script: Scripted = (_, ledger) => {
      leave(ledger, 1, [1]);
      return { status: 'step-limit' };
    };
    const totals = await exploreBarrier(scriptedContext(script), PLAN, verdicts);
    expect(totals).toEqual({ runs: 2, completed: 0, stopped: 2, timeouts: 0, rounds: 2 });
    expect(verdicts.failures).toEqual([]);
  });

  it('stops at the first run a thread computed through without a step', async () => {
    const script: Scripted = (run, ledger) => {
      if (run < 3) return correct(run, ledger);
      leave(ledger, 0, []);
      return { status: 'timeout' };
    };
    const totals = await exploreBarrier(scriptedContext(script), PLAN, sink());
    expect(totals).toMatchObject({ runs: 3, stopped: 1, timeouts: 1 });
  });

  it('adds up the totals of several shapes for the pass messages', () => {
    const one = { runs: 80, completed: 78, stopped: 2, timeouts: 0, rounds: 312 };
    const two = { runs: 3, completed: 2, stopped: 1, timeouts: 1, rounds: 6 };
    expect(sumTotals([one, two])).toEqual({ runs: 83, completed: 80, stopped: 3, timeouts: 1, rounds: 318 });
  });
});
