import type { ControlledRunEvidence, ThreadGraderContext } from '../grader-api';
import { fail, type Verdict } from '../lib/check-tally';
import { describeValue, plural } from '../lib/format';
import { describeRun, describeSleep, describeTrace } from '../lib/schedule-trace';
import { controlledFlowThread, type ControlledFlowShared } from './in-thread/controlled-flow-thread';

/** Real time one exploration may take: far more than 60 short flows need (about 0.5 s), and it bounds the worst grading. */
export const EXPLORATION_WALL_MS = 4000;

export interface ControlledFlowPlan {
  producers: number;
  consumers: number;
  capacity: number;
  /** Items all producers put together. */
  items: number;
  runs: number;
  queueBytes: number;
}

export type FlowCheck = 'exactly-once' | 'fifo-per-producer' | 'shutdown-in-time';
export type FlowVerdicts = Partial<Record<FlowCheck, Verdict>>;

// The ledger's layout, as the thread code writes it (in-thread/controlled-flow-thread.ts).
const [FIRST_THREAD, THREAD_CELLS] = [8, 3];
const PLACES = ['not started', 'in produce()', 'in consume()', 'in close()', 'returned', 'threw'];
const THREW = 5;

/** What the grader's own memory says about one run. */
export interface FlowLedger {
  /** Per producer, the items next() gave it, in order. */
  produced: number[][];
  /** Per consumer, the items store() got, in order. */
  consumed: number[][];
  /** Per thread, where it is (PLACES), and where it was when it threw. */
  places: string[];
  threwIn: string[];
}

/** Each thread's log holds the items and one more per producer (see ControlledFlowShared.logCapacity). */
const logCapacity = (plan: ControlledFlowPlan) => plan.items + plan.producers;

export function allocateFlow(plan: ControlledFlowPlan): ControlledFlowShared {
  const threads = plan.producers + plan.consumers + 1;
  return {
    queue: new SharedArrayBuffer(plan.queueBytes),
    stop: new SharedArrayBuffer(4),
    ledger: new SharedArrayBuffer(4 * (FIRST_THREAD + threads * THREAD_CELLS + threads * logCapacity(plan))),
    producers: plan.producers,
    consumers: plan.consumers,
    capacity: plan.capacity,
    items: plan.items,
    logCapacity: logCapacity(plan),
  };
}

export function readLedger(plan: ControlledFlowPlan, buffer: SharedArrayBuffer): FlowLedger {
  const cells = new Int32Array(buffer);
  const threads = plan.producers + plan.consumers + 1;
  const cell = (thread: number, field: number) => cells[FIRST_THREAD + thread * THREAD_CELLS + field];
  const capacity = logCapacity(plan);
  const log = (thread: number) => {
    const start = FIRST_THREAD + threads * THREAD_CELLS + thread * capacity;
    return [...cells.subarray(start, start + Math.min(cell(thread, 1), capacity))];
  };
  const indexes = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  return {
    produced: indexes(0, plan.producers).map(log),
    consumed: indexes(plan.producers, plan.consumers).map(log),
    places: indexes(0, threads).map((thread) => PLACES[cell(thread, 0)] ?? 'not started'),
    threwIn: indexes(0, threads).map((thread) =>
      cell(thread, 0) === THREW ? (PLACES[cell(thread, 2)] ?? '') : '',
    ),
  };
}

/** Short flows under the controlled scheduler; each check keeps the first run that shows its problem. */
export async function exploreFlow(
  ctx: ThreadGraderContext,
  plan: ControlledFlowPlan,
): Promise<{ verdicts: FlowVerdicts; runs: number }> {
  let verdicts: FlowVerdicts = {};
  const summary = await ctx.explore({
    label: flowLabel(plan),
    threads: plan.producers + plan.consumers + 1,
    code: controlledFlowThread,
    runs: plan.runs,
    wallTimeMs: EXPLORATION_WALL_MS,
    shared: () => ({ ...allocateFlow(plan) }),
    judge: (run, shared) => {
      const found = judgeControlledFlow(run, plan, readLedger(plan, shared.ledger as SharedArrayBuffer));
      verdicts = { ...found, ...verdicts }; // each check keeps its first counterexample
      // Go on until every check this flow can judge has its counterexample: a check left to the real
      // runs alone could fail on one grading and pass on the next.
      return judgedHere(plan).every((check) => verdicts[check] !== undefined);
    },
  });
  return { verdicts, runs: summary.runs };
}

export function flowLabel(plan: ControlledFlowPlan): string {
  return `${plural(plan.producers, 'producer')}, ${plural(plan.consumers, 'consumer')}, capacity ${plan.capacity}, ${plan.items} items`;
}

const threadName = (plan: ControlledFlowPlan, index: number) =>
  index < plan.producers
    ? `producer ${index + 1}`
    : index < plan.producers + plan.consumers
      ? `consumer ${index - plan.producers + 1}`
      : "the grader's thread";

/**
 * One controlled run. exactly-once and FIFO are judged on a completed run from the grader's logs;
 * a proven deadlock fails shutdown-in-time; a thread that threw fails the check its part belongs to.
 */
export function judgeControlledFlow(
  run: ControlledRunEvidence,
  plan: ControlledFlowPlan,
  ledger: FlowLedger,
): FlowVerdicts {
  const where = `${flowLabel(plan)}, ${describeRun(run)}`;
  const name = (index: number) => threadName(plan, index);
  const threw = run.threads.find((thread) => thread.end.kind === 'threw');
  if (threw?.end.kind === 'threw') {
    const check: FlowCheck =
      threw.index === plan.producers + plan.consumers ? 'shutdown-in-time' : 'exactly-once';
    return {
      [check]: fail(
        `${name(threw.index)} threw ${threw.end.message} ${ledger.threwIn[threw.index]} on ${where}`,
      ),
    };
  }
  if (run.status === 'deadlock') {
    const stuck = run.threads
      .filter((thread) => thread.end.kind === 'stopped')
      .map(
        (thread) =>
          `${name(thread.index)} still ${ledger.places[thread.index]}${thread.waitingOn ? ` ${describeSleep(thread.waitingOn)}` : ''}`,
      );
    const closed =
      ledger.places[plan.producers + plan.consumers] === 'returned' ? ' after close() returned' : '';
    return {
      'shutdown-in-time': fail(
        `deadlock${closed} on ${where}: no thread could move: ${stuck.join('; ')}. Last steps: ${describeTrace(run.trace, 8, { thread: name })}`,
      ),
    };
  }
  if (run.status !== 'completed') return {};
  const verdicts: FlowVerdicts = {};
  const problem = deliveryProblem(plan, ledger);
  if (problem) verdicts['exactly-once'] = fail(`${problem} on ${where}`);
  const order = plan.consumers === 1 ? fifoProblem(plan, ledger) : null;
  if (order) verdicts['fifo-per-producer'] = fail(`${order} on ${where}`);
  return verdicts;
}

/** The checks a flow can judge: FIFO only with one consumer. */
function judgedHere(plan: ControlledFlowPlan): FlowCheck[] {
  return plan.consumers === 1
    ? ['exactly-once', 'fifo-per-producer', 'shutdown-in-time']
    : ['exactly-once', 'shutdown-in-time'];
}

/** Every item produced consumed exactly once, and nothing else consumed; the first problem in words. */
function deliveryProblem(plan: ControlledFlowPlan, ledger: FlowLedger): string | null {
  const origin = new Map<number, string>();
  ledger.produced.forEach((items, producer) =>
    items.forEach((item, n) => origin.set(item, `producer ${producer + 1}'s item ${n + 1}`)),
  );
  const takenBy = new Map<number, string>();
  for (const [consumer, items] of ledger.consumed.entries()) {
    for (const item of items) {
      const by = `consumer ${consumer + 1}`;
      if (!origin.has(item)) return `${by} got ${describeValue(item)}, which no producer put`;
      const earlier = takenBy.get(item);
      if (earlier)
        return `${origin.get(item)} (${item}) was consumed twice, ${earlier === by ? `both times by ${by}` : `by ${earlier} and by ${by}`}`;
      takenBy.set(item, by);
    }
  }
  const lost = [...origin.keys()].filter((item) => !takenBy.has(item));
  if (lost.length === 0) return null;
  return `${plural(lost.length, 'item')} put but never consumed, e.g. ${origin.get(lost[0])} (${lost[0]})`;
}

function fifoProblem(plan: ControlledFlowPlan, ledger: FlowLedger): string | null {
  for (let producer = 0; producer < plan.producers; producer++) {
    const expected = ledger.produced[producer];
    const got = ledger.consumed[0].filter((item) => expected.includes(item));
    const first = got.findIndex((item, i) => item !== expected[i]);
    if (first >= 0)
      return `the consumer got producer ${producer + 1}'s item ${expected.indexOf(got[first]) + 1} (${got[first]}) where its item ${first + 1} (${expected[first]}) was due`;
  }
  return null;
}
