import type { ThreadGraderContext, ThreadRunEvidence } from '../grader-api';
import { countingThreadCode, type CountingShared } from './in-thread/counting-thread-code';
import { holdThreadCode, type HoldShared } from './in-thread/hold-thread-code';
import { twoIndexesThreadCode, type TwoIndexesShared } from './in-thread/two-indexes-thread-code';
import {
  allocateInts,
  allocateTally,
  COUNTER_CELLS,
  readCounter,
  readTally,
  SIGNAL_CELLS,
  STATE_CELLS,
  type ThreadTally,
} from './mutex-memory';

/**
 * The three kinds of run, each as plan in and record out: the grader allocates the memory, starts
 * the threads, and reads back its own memory and the host's evidence. Nothing the submission
 * returns is kept.
 */

export interface CountingPlan {
  /** Where the run sits in its series, as messages say it: "with 4 threads on run 2 of 3". */
  label: string;
  threads: number;
  rounds: number;
  maxMs: number;
  wallTimeMs: number;
  /** null: the Mutex is built without an index (the default, 0). */
  mutexIndex: number | null;
  alternate: boolean;
}

export interface CountingRun extends CountingPlan {
  counter: number;
  tally: ThreadTally[];
  evidence: ThreadRunEvidence;
}

export interface TwoIndexesPlan {
  indexes: [number, number];
  wallTimeMs: number;
}

export interface TwoIndexesRun extends TwoIndexesPlan {
  tally: ThreadTally[];
  evidence: ThreadRunEvidence;
}

export interface HoldPlan {
  label: string;
  waiters: number;
  holdMs: number;
  mutexIndex: number;
  wallTimeMs: number;
}

export interface HoldRun extends HoldPlan {
  tally: ThreadTally[];
  evidence: ThreadRunEvidence;
}

export async function runCounting(ctx: ThreadGraderContext, plan: CountingPlan): Promise<CountingRun> {
  const shared: CountingShared = {
    state: allocateInts(STATE_CELLS),
    counter: allocateInts(COUNTER_CELLS),
    tally: allocateTally(plan.threads),
    rounds: plan.rounds,
    maxMs: plan.maxMs,
    mutexIndex: plan.mutexIndex,
    alternate: plan.alternate,
  };
  const evidence = await ctx.runThreads({
    label: plan.label,
    threads: plan.threads,
    code: countingThreadCode,
    shared: { ...shared },
    wallTimeMs: plan.wallTimeMs,
  });
  return {
    ...plan,
    counter: readCounter(shared.counter),
    tally: readTally(shared.tally, plan.threads),
    evidence,
  };
}

export async function runTwoIndexes(ctx: ThreadGraderContext, plan: TwoIndexesPlan): Promise<TwoIndexesRun> {
  const shared: TwoIndexesShared = {
    state: allocateInts(STATE_CELLS),
    signals: allocateInts(SIGNAL_CELLS),
    tally: allocateTally(2),
    indexes: plan.indexes,
  };
  const evidence = await ctx.runThreads({
    label: `mutexes at index ${plan.indexes[0]} and ${plan.indexes[1]}`,
    threads: 2,
    code: twoIndexesThreadCode,
    shared: { ...shared },
    wallTimeMs: plan.wallTimeMs,
  });
  return { ...plan, tally: readTally(shared.tally, 2), evidence };
}

export async function runHold(ctx: ThreadGraderContext, plan: HoldPlan): Promise<HoldRun> {
  const threads = plan.waiters + 1;
  const shared: HoldShared = {
    state: allocateInts(STATE_CELLS),
    signals: allocateInts(SIGNAL_CELLS),
    tally: allocateTally(threads),
    holdMs: plan.holdMs,
    mutexIndex: plan.mutexIndex,
  };
  const evidence = await ctx.runThreads({
    label: plan.label,
    threads,
    code: holdThreadCode,
    shared: { ...shared },
    wallTimeMs: plan.wallTimeMs,
  });
  return { ...plan, tally: readTally(shared.tally, threads), evidence };
}
