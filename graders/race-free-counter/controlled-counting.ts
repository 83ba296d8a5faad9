import type { ControlledRunEvidence, ScheduleStep, ThreadGraderContext } from '../grader-api';
import { fail, type Verdict } from '../lib/check-tally';
import { formatCount, plural } from '../lib/format';
import { describeRun, describeSleepers, describeTrace } from '../lib/schedule-trace';
import { describeStoppedThread } from '../lib/stopped-threads';
import {
  controlledCountingThreadCode,
  type ControlledCountingShared,
} from './in-thread/controlled-counting-thread-code';
import {
  allocateInts,
  allocateTally,
  COUNTER_CELLS,
  readCounter,
  readTally,
  STATE_CELLS,
  type ThreadTally,
} from './mutex-memory';

/** The brief calls the counter c: "thread 1 read c[0] = 41". */
const WORDING = {
  cell: (buffer: string | null, index: number) =>
    `${buffer === 'counter' ? 'c' : (buffer ?? 'its own memory')}[${index}]`,
};

/** Real time one exploration may take: far more than 150 short runs need (about 0.2 s), and it bounds the worst grading. */
export const EXPLORATION_WALL_MS = 4000;

export interface ControlledCountingPlan {
  threads: number;
  rounds: number;
  runs: number;
  mutexIndex: number;
}

/** What the controlled runs showed: a counterexample per check, or how much was explored. */
export interface ControlledCountingResult {
  exclusion?: Verdict;
  finishes?: Verdict;
  runs: number;
  increments: number;
}

/**
 * Short runs of the counting rounds under the controlled scheduler: a lost update, two threads
 * inside at once, or a proven deadlock comes with its schedule and the steps that made it. The
 * first run that shows one ends the exploration.
 */
export async function exploreCounting(
  ctx: ThreadGraderContext,
  plan: ControlledCountingPlan,
): Promise<ControlledCountingResult> {
  const result: ControlledCountingResult = { runs: 0, increments: 0 };
  await ctx.explore({
    label: `${plan.threads} threads, ${plural(plan.rounds, 'round')} each`,
    threads: plan.threads,
    code: controlledCountingThreadCode,
    runs: plan.runs,
    wallTimeMs: EXPLORATION_WALL_MS,
    strategies: [{ kind: 'random' }, { kind: 'pct', depth: 2 }, { kind: 'pct', depth: 3 }],
    shared: (): ControlledCountingShared & Record<string, unknown> => ({
      state: allocateInts(STATE_CELLS),
      counter: allocateInts(COUNTER_CELLS),
      tally: allocateTally(plan.threads),
      rounds: plan.rounds,
      mutexIndex: plan.mutexIndex,
    }),
    judge: (run, shared) => {
      const memory = shared as unknown as ControlledCountingShared;
      const tally = readTally(memory.tally, plan.threads);
      result.runs = run.run;
      result.increments += tally.reduce((sum, thread) => sum + thread.rounds, 0);
      const verdicts = judgeControlledCounting(run, readCounter(memory.counter), tally);
      Object.assign(result, verdicts);
      return verdicts.exclusion !== undefined || verdicts.finishes !== undefined;
    },
  });
  return result;
}

/**
 * One controlled run: exclusion fails on an update actually lost or two threads actually inside
 * together; finishing fails on a proven deadlock or a thread that threw. A run stopped at the step
 * limit or by real time proves nothing either way and is not judged.
 */
export function judgeControlledCounting(
  run: ControlledRunEvidence,
  counter: number,
  tally: ThreadTally[],
): Pick<ControlledCountingResult, 'exclusion' | 'finishes'> {
  const where = describeRun(run);
  const threw = run.threads.find((thread) => thread.end.kind === 'threw');
  if (threw?.end.kind === 'threw')
    return { finishes: fail(`on ${where} thread ${threw.threadId} threw ${threw.end.message}`) };
  if (run.status === 'deadlock') {
    const stuck = run.threads
      .filter((thread) => thread.end.kind === 'stopped')
      .map((thread) => describeStoppedThread(thread, tally[thread.index]?.place ?? ''));
    return {
      finishes: fail(
        `deadlock on ${where}: no thread could move: ${stuck.join('; ') || describeSleepers(run)}. ` +
          `Last steps: ${describeTrace(run.trace, 10, WORDING)}`,
      ),
    };
  }
  if (run.status !== 'completed') return {};
  const done = tally.reduce((sum, thread) => sum + thread.rounds, 0);
  if (counter !== done) {
    const lost = done - counter;
    return {
      exclusion: fail(
        `lost ${formatCount(lost)} of ${formatCount(done)} increments with ${plural(tally.length, 'thread')} on ${where}: ` +
          describeTrace(lostUpdateSteps(run.trace), 12, WORDING),
      ),
    };
  }
  const overlapping = tally.findIndex((thread) => thread.overlaps > 0);
  if (overlapping >= 0)
    return {
      exclusion: fail(
        `thread ${overlapping + 1} got the lock while another thread held it on ${where}. ` +
          `Last steps: ${describeTrace(run.trace, 10, WORDING)}`,
      ),
    };
  return {};
}

/**
 * The steps on the counter around the first lost update: from the read of the thread whose write
 * did not go above the one before it, to that write ("thread 1 read c[0] = 41; thread 2 read
 * c[0] = 41; thread 1 wrote 42; thread 2 wrote 42"). The whole counter trace if none is found.
 */
export function lostUpdateSteps(trace: ScheduleStep[]): ScheduleStep[] {
  const counter = trace.filter((step) => step.buffer === 'counter' && step.index === 0);
  let highest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < counter.length; i++) {
    const step = counter[i];
    if (step.action !== 'write') continue;
    if (step.value <= highest) {
      let start = i;
      while (start > 0 && !(counter[start].action === 'read' && counter[start].thread === step.thread))
        start--;
      return counter.slice(start, i + 1);
    }
    highest = step.value;
  }
  return counter;
}
