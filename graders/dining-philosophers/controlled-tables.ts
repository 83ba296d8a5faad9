import type { ControlledRunEvidence, ThreadGraderContext, ThreadRunEvidence } from '../grader-api';
import { fail, type Verdict } from '../lib/check-tally';
import { describeRun, describeTrace, type TraceWording } from '../lib/schedule-trace';
import { tableThreadCode, type TableShared } from './in-thread/table-thread-code';
import { describeStoppedPhilosopher } from './philosopher-whereabouts';
import { judgeForksReleased, judgeMeals } from './table-judges';
import { allocateTable, readTable, type TableMemory } from './table-memory';
import { tableLabel, type TablePauses, type TablePlan } from './table-plan';
import type { TableRun } from './table-runs';
import { explainCycle, findWaitCycle } from './wait-for-cycle';

export interface ControlledTablePlan {
  seats: number;
  meals: number;
  runs: number;
}

export type TableCheck = 'meals' | 'no-deadlock' | 'forks-released' | 'finishes-in-time';

/**
 * Under the controlled scheduler the only pause is after a philosopher's first fork: modelled, it
 * lasts until no other philosopher can move, so every philosopher holds its first fork before any
 * asks for its second, and a table whose circle can close does close, on every run. The scheduler
 * perturbs everything else. Nothing else in the table's code depends on time.
 */
const CONTROLLED_PAUSES: TablePauses = {
  firstGrab: { minMs: 1, maxMs: 1 },
  acquire: { minMs: 0, maxMs: 0 },
  eat: { minMs: 0, maxMs: 0 },
  think: { minMs: 0, maxMs: 0 },
};

/** Trace wording: philosophers by seat, forks by number, the ledger's cells as the grader's bookkeeping. */
const WORDING: TraceWording = {
  thread: (index) => `philosopher ${index}`,
  cell: (buffer, index) =>
    buffer === 'forks' ? `fork ${index}'s owner` : `${buffer ?? 'its own memory'}[${index}]`,
};

/**
 * Short tables under the controlled scheduler, one exploration per table size; the first run that
 * shows a problem ends it. Returns the counterexample per check, if any, and the runs made.
 */
export async function exploreTable(
  ctx: ThreadGraderContext,
  plan: ControlledTablePlan,
): Promise<{ verdicts: Partial<Record<TableCheck, Verdict>>; runs: number }> {
  let verdicts: Partial<Record<TableCheck, Verdict>> = {};
  const tablePlan: TablePlan = {
    label: tableLabel(plan.seats, 1, 1),
    seats: plan.seats,
    meals: plan.meals,
    pauses: CONTROLLED_PAUSES,
    seeds: Array.from({ length: plan.seats }, (_, seat) => seat + 1),
    wallTimeMs: 0,
  };
  const summary = await ctx.explore({
    label: tablePlan.label,
    threads: plan.seats,
    code: tableThreadCode,
    runs: plan.runs,
    shared: () => {
      const memory = allocateTable(plan.seats);
      const shared: TableShared = { plan: { ...tablePlan }, ...memory };
      return { ...shared };
    },
    judge: (run, shared) => {
      const memory = shared as unknown as TableMemory;
      verdicts = judgeControlledTable(run, tableRunOf(run, tablePlan, memory));
      return Object.keys(verdicts).length > 0;
    },
  });
  return { verdicts, runs: summary.runs };
}

/** The run as the table judges read it: the evidence they use, with the run's name in the label. */
export function tableRunOf(run: ControlledRunEvidence, plan: TablePlan, memory: TableMemory): TableRun {
  const evidence: ThreadRunEvidence = {
    status: run.status === 'deadlock' ? 'deadlock' : run.status === 'completed' ? 'completed' : 'timeout',
    wallMs: 0,
    threads: run.threads.map((thread) => ({ ...thread, cpuMs: 0, blockedMs: 0, waits: 0 })),
    lostWakeups: [],
    console: run.console,
  };
  return {
    plan: { ...plan, label: `${plan.label} on ${describeRun(run)}` },
    evidence,
    ...readTable(memory, plan.seats),
  };
}

/** The steps on the forks: the grader's bookkeeping in the ledger would only hide them. */
const forkSteps = (run: ControlledRunEvidence) => run.trace.filter((step) => step.buffer !== 'ledger');

/**
 * One controlled table: a proven deadlock fails no-deadlock with its circle (from the grader's fork
 * owners) and the last steps, or finishes-in-time when no circle closed (a fork kept by a
 * philosopher that returned or threw); meals and forks are judged as on real threads. A run stopped at the
 * step limit or by real time is not judged.
 */
export function judgeControlledTable(
  run: ControlledRunEvidence,
  table: TableRun,
): Partial<Record<TableCheck, Verdict>> {
  if (run.status === 'step-limit' || run.status === 'timeout') return {};
  const verdicts: Partial<Record<TableCheck, Verdict>> = {};
  if (run.status === 'deadlock') {
    const steps = `Last steps: ${describeTrace(forkSteps(run), 8, WORDING)}`;
    const cycle = findWaitCycle(table);
    // A circle is no-deadlock's; a philosopher waiting for ever for a fork nobody will give back is not finishing.
    if (cycle)
      verdicts['no-deadlock'] = fail(`deadlock ${table.plan.label}: ${explainCycle(table, cycle)}. ${steps}`);
    else {
      const stuck = table.evidence.threads
        .filter((thread) => thread.end.kind === 'stopped')
        .map((thread) => describeStoppedPhilosopher(table, thread));
      verdicts['finishes-in-time'] = fail(
        `no philosopher could move ${table.plan.label}: ${stuck.join('; ')}. ${steps}`,
      );
    }
  }
  const meals = judgeMeals(table);
  if (meals && !meals.passed) verdicts.meals = meals;
  const forks = judgeForksReleased(table);
  if (!forks.passed) verdicts['forks-released'] = forks;
  return verdicts;
}
