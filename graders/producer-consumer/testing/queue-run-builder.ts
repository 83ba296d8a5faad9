import type { ThreadReport } from '../../grader-api';
import { encodeItem } from '../item-code';
import type {
  ConsumerRecord,
  CoordinatorRecord,
  ProducerRecord,
  QueueRunObservation,
} from '../queue-run-memory';
import { PLAN_LAYOUT, consumerThread, coordinatorThread, type QueueRunPlan } from '../queue-run-plan';

/**
 * Hand-made runs for the judges' unit specs: a run where everything went right, which each spec
 * then breaks in one way. Times are ms after the run began: stop at 200, close() at 210.
 */
export const KEY = 0x9e3779b1 | 0;
export const STOP_AT = 200;
export const CLOSE_AT = 210;

export function testPlan(overrides: Partial<QueueRunPlan> = {}): QueueRunPlan {
  return {
    kind: 'flow',
    producers: 2,
    consumers: 1,
    capacity: 4,
    maxItems: 1000,
    nextLimit: 1100,
    putQuota: 6,
    runMs: 150,
    holdMs: 300,
    slowConsumerMs: 0,
    graceMs: 1000,
    settleMs: 50,
    spinCpuShare: 0.5,
    minSpinCpuMs: 50,
    itemKey: KEY,
    logCapacity: 1100,
    queueBytes: 64,
    ...PLAN_LAYOUT,
    ...overrides,
  };
}

export function item(plan: QueueRunPlan, producer: number, seq: number): number {
  return encodeItem({ producer, seq }, plan.producers, plan.itemKey);
}

export function threadReport(index: number, overrides: Partial<ThreadReport> = {}): ThreadReport {
  return {
    index,
    threadId: index + 1,
    end: { kind: 'returned', value: null },
    cpuMs: 5,
    blockedMs: 100,
    waits: 10,
    waitingOn: null,
    ...overrides,
  };
}

export interface RunParts {
  /** Items each producer made (next() calls); default 3 each. */
  produced?: number[];
  /** What each consumer got, as [producer, seq] pairs; default: everything once, producer by producer, to consumer 1. */
  taken?: [number, number][][];
  producers?: Partial<ProducerRecord>[];
  consumers?: Partial<ConsumerRecord>[];
  coordinator?: Partial<CoordinatorRecord>;
  status?: QueueRunObservation['evidence']['status'];
  lostWakeups?: number[];
}

export function testRun(plan: QueueRunPlan, parts: RunParts = {}): QueueRunObservation {
  const produced = parts.produced ?? Array.from({ length: plan.producers }, () => 3);
  const everything = produced.flatMap((count, producer) =>
    Array.from({ length: count }, (_, seq): [number, number] => [producer, seq]),
  );
  const taken =
    parts.taken ??
    Array.from({ length: plan.consumers }, (_, consumer) => (consumer === 0 ? everything : []));
  const fullWait = plan.kind === 'producers-wait-on-full';

  const producers = produced.map((count, producer): ProducerRecord => ({
    producer,
    report: threadReport(producer),
    status: 'returned',
    early: false,
    startedAtMs: 0,
    returnedAtMs: (fullWait ? CLOSE_AT : STOP_AT) + 1,
    produced: count,
    excess: null,
    putEnd: fullWait ? 'threw-on-close' : null,
    ...parts.producers?.[producer],
  }));
  const consumers = taken.map((pairs, consumer): ConsumerRecord => {
    const items = pairs.map(([producer, seq]) => item(plan, producer, seq));
    return {
      consumer,
      report: threadReport(consumerThread(plan, consumer)),
      status: 'returned',
      early: false,
      startedAtMs: 0,
      returnedAtMs: CLOSE_AT + 1,
      items,
      stored: items.length,
      storedAtClose: items.length,
      inSlowStore: false,
      invalid: null,
      ...parts.consumers?.[consumer],
    };
  });
  const coordinator: CoordinatorRecord = {
    report: threadReport(coordinatorThread(plan), { end: { kind: 'returned', value: {} } }),
    stopAtMs: fullWait ? null : STOP_AT,
    holdStartMs: null,
    holdEndMs: null,
    closeCalledAtMs: CLOSE_AT,
    closeReturnedAtMs: CLOSE_AT,
    close: 'returned',
    closeError: null,
    size: { kind: 'not-read' },
    putsReturnedAtHold: 0,
    producedAtClose: produced.reduce((sum, count) => sum + count, 0),
    storedAtClose: consumers.reduce((sum, consumer) => sum + consumer.storedAtClose, 0),
    ...parts.coordinator,
  };
  return {
    plan,
    label: 'run 1 of 1',
    evidence: {
      status: parts.status ?? 'completed',
      wallMs: 300,
      threads: [...producers, ...consumers].map((thread) => thread.report).concat(coordinator.report),
      lostWakeups: parts.lostWakeups ?? [],
      console: [],
    },
    producers,
    consumers,
    coordinator,
  };
}
