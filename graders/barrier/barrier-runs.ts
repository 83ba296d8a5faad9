import type { ThreadGraderContext, ThreadRunEvidence } from '../grader-api';
import { allocateBarrierRun, readBarrierLedger, type BarrierLedger } from './barrier-memory';
import type { BarrierPlan } from './barrier-plan';
import { barrierThreadCode, type BarrierShared } from './in-thread/barrier-thread-code';

/**
 * One barrier run as plan in, record out: the grader allocates the memory, starts one thread per
 * party, and reads back its own ledger beside the host's evidence. Nothing the submission returns
 * is kept; the judges take a BarrierRun whoever scheduled the threads.
 */
export interface BarrierRun {
  plan: BarrierPlan;
  ledger: BarrierLedger;
  evidence: ThreadRunEvidence;
}

export async function runBarrier(ctx: ThreadGraderContext, plan: BarrierPlan): Promise<BarrierRun> {
  const memory = allocateBarrierRun(plan.parties, plan.rounds);
  const { index, latecomerMs, pauseChance, pauseMs, maxMs, seeds } = plan;
  const shared: BarrierShared = {
    plan: { index, latecomerMs, pauseChance, pauseMs, maxMs, seeds },
    ...memory,
  };
  const evidence = await ctx.runThreads({
    label: plan.label,
    threads: plan.parties,
    code: barrierThreadCode,
    shared: { ...shared },
    wallTimeMs: plan.wallTimeMs,
  });
  return { plan, ledger: readBarrierLedger(memory, plan.parties), evidence };
}
