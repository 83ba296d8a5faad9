import type { ThreadGraderContext, ThreadRunEvidence } from '../grader-api';
import { tableThreadCode, type TableShared } from './in-thread/table-thread-code';
import { allocateTable, readTable, type TableReading } from './table-memory';
import type { TablePlan } from './table-plan';

/**
 * One table as plan in, record out: the grader allocates its memory, starts one thread per seat,
 * and reads back its own memory beside the host's evidence. Nothing the submission returns is
 * kept. The judges take a TableRun whoever scheduled the threads.
 */
export interface TableRun extends TableReading {
  plan: TablePlan;
  evidence: ThreadRunEvidence;
}

export async function runTable(ctx: ThreadGraderContext, plan: TablePlan): Promise<TableRun> {
  const memory = allocateTable(plan.seats);
  const { seats, meals, pauses, seeds } = plan;
  const shared: TableShared = { plan: { seats, meals, pauses, seeds }, ...memory };
  const evidence = await ctx.runThreads({
    label: plan.label,
    threads: plan.seats,
    code: tableThreadCode,
    shared: { ...shared },
    wallTimeMs: plan.wallTimeMs,
  });
  return { plan, evidence, ...readTable(memory, plan.seats) };
}
