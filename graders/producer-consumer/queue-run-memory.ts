import type { ThreadReport, ThreadRunEvidence } from '../grader-api';
import {
  CONTROL_CELLS,
  INVALID_KIND,
  PUT_END,
  THREAD_CELLS,
  THREAD_INTS,
  THREAD_STATUS,
  THREAD_TIMES,
  TIME_CELLS,
  consumerThread,
  coordinatorThread,
  producerThread,
  threadCount,
  type QueueRunPlan,
} from './queue-run-plan';

/**
 * The shared memory of one run, allocated on the host. The submission gets only `queue` (through
 * its constructor) and `stop` (through produce); `control`, `times` and `logs` are the grader's.
 * Each buffer has its own key so the deadlock watchdog can name it ("queue[3]").
 */
export interface QueueRunMemory {
  shared: {
    plan: QueueRunPlan;
    queue: SharedArrayBuffer;
    stop: SharedArrayBuffer;
    control: SharedArrayBuffer;
    times: SharedArrayBuffer;
    logs: SharedArrayBuffer;
  };
  control: Int32Array;
  times: Float64Array;
  logs: Int32Array;
}

export function allocateQueueRun(plan: QueueRunPlan): QueueRunMemory {
  const threads = threadCount(plan);
  const control = new Int32Array(
    new SharedArrayBuffer(4 * (CONTROL_CELLS.firstThread + threads * THREAD_INTS)),
  );
  const times = new Float64Array(
    new SharedArrayBuffer(8 * (TIME_CELLS.firstThread + threads * THREAD_TIMES)),
  );
  const logs = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, plan.consumers * plan.logCapacity)));
  return {
    shared: {
      plan,
      queue: new SharedArrayBuffer(plan.queueBytes),
      stop: new SharedArrayBuffer(4),
      control: control.buffer as SharedArrayBuffer,
      times: times.buffer as SharedArrayBuffer,
      logs: logs.buffer as SharedArrayBuffer,
    },
    control,
    times,
    logs,
  };
}

export type ThreadStatus = 'not-started' | 'running' | 'returned' | 'threw';
export type PutEnd =
  'running' | 'quota-done' | 'threw-on-close' | 'returned-after-close' | 'threw-while-open';
export type InvalidKind = 'undefined' | 'not-a-number' | 'not-an-int32';

/** Times are ms after the coordinator began (the threads are released together); null if never reached. */
interface ThreadRecord {
  report: ThreadReport;
  status: ThreadStatus;
  /** Returned before its signal: a producer before stop, a consumer before close(). */
  early: boolean;
  startedAtMs: number | null;
  returnedAtMs: number | null;
}

export interface ProducerRecord extends ThreadRecord {
  /** 0-based. */
  producer: number;
  /** next() calls. */
  produced: number;
  /** The largest number of items certainly put and not yet taken that this producer saw, with the counts then. */
  excess: { items: number; produced: number; stored: number } | null;
  /** producers-wait-on-full only: how the grader's put() loop ended. */
  putEnd: PutEnd | null;
}

export interface ConsumerRecord extends ThreadRecord {
  /** 0-based. */
  consumer: number;
  /** What it handed to store(), in order (at most plan.logCapacity kept). */
  items: number[];
  /** Items handed to store() in all, kept or not. */
  stored: number;
  storedAtClose: number;
  /** Inside the grader's slow store() when the run ended. */
  inSlowStore: boolean;
  /** Values handed to store() that are not int32 items (e.g. the final undefined). */
  invalid: { count: number; kind: InvalidKind; afterItems: number } | null;
}

export type SizeReading =
  | { kind: 'not-read' }
  | { kind: 'value'; value: number }
  | { kind: 'threw'; message: string }
  | { kind: 'not-an-integer' };

export interface CoordinatorRecord {
  report: ThreadReport;
  stopAtMs: number | null;
  holdStartMs: number | null;
  holdEndMs: number | null;
  closeCalledAtMs: number | null;
  closeReturnedAtMs: number | null;
  close: 'not-called' | 'not-returned' | 'returned' | 'threw';
  closeError: string | null;
  size: SizeReading;
  putsReturnedAtHold: number;
  producedAtClose: number;
  storedAtClose: number;
}

/** Everything the host knows about one run: the plan, the runtime's evidence, and the grader's memory. */
export interface QueueRunObservation {
  plan: QueueRunPlan;
  label: string;
  evidence: ThreadRunEvidence;
  producers: ProducerRecord[];
  consumers: ConsumerRecord[];
  coordinator: CoordinatorRecord;
}

const STATUS_NAMES: Record<number, ThreadStatus> = {
  [THREAD_STATUS.notStarted]: 'not-started',
  [THREAD_STATUS.running]: 'running',
  [THREAD_STATUS.returned]: 'returned',
  [THREAD_STATUS.threw]: 'threw',
};
const PUT_END_NAMES: Record<number, PutEnd> = {
  [PUT_END.running]: 'running',
  [PUT_END.quotaDone]: 'quota-done',
  [PUT_END.threwOnClose]: 'threw-on-close',
  [PUT_END.returnedAfterClose]: 'returned-after-close',
  [PUT_END.threwWhileOpen]: 'threw-while-open',
};
const INVALID_NAMES: Record<number, InvalidKind> = {
  [INVALID_KIND.undefined]: 'undefined',
  [INVALID_KIND.notANumber]: 'not-a-number',
  [INVALID_KIND.notAnInt32]: 'not-an-int32',
};

/** Reads the run's memory back once every thread has ended. */
export function readQueueRun(
  plan: QueueRunPlan,
  label: string,
  memory: QueueRunMemory,
  evidence: ThreadRunEvidence,
): QueueRunObservation {
  const { control, times } = memory;
  const begin = times[TIME_CELLS.begin];
  const at = (cell: number) => (times[cell] === 0 || begin === 0 ? null : times[cell] - begin);
  const cell = (thread: number, offset: number) =>
    control[CONTROL_CELLS.firstThread + thread * THREAD_INTS + offset];
  const report = (thread: number): ThreadReport =>
    evidence.threads.find((candidate) => candidate.index === thread) ?? {
      index: thread,
      threadId: thread + 1,
      end: { kind: 'stopped' },
      cpuMs: 0,
      blockedMs: 0,
      waits: 0,
      waitingOn: null,
    };
  const threadRecord = (thread: number): ThreadRecord => ({
    report: report(thread),
    status: STATUS_NAMES[cell(thread, THREAD_CELLS.status)] ?? 'not-started',
    early: cell(thread, THREAD_CELLS.early) === 1,
    startedAtMs: at(TIME_CELLS.firstThread + thread * THREAD_TIMES),
    returnedAtMs: at(TIME_CELLS.firstThread + thread * THREAD_TIMES + 1),
  });

  const producers = Array.from({ length: plan.producers }, (_, producer): ProducerRecord => {
    const thread = producerThread(producer);
    const excess = cell(thread, THREAD_CELLS.excessOrCountAtClose);
    return {
      ...threadRecord(thread),
      producer,
      produced: cell(thread, THREAD_CELLS.count),
      excess:
        excess > 0
          ? {
              items: excess,
              produced: cell(thread, THREAD_CELLS.excessProducedOrInStore),
              stored: cell(thread, THREAD_CELLS.excessStoredOrInvalid),
            }
          : null,
      putEnd:
        plan.kind === 'producers-wait-on-full'
          ? (PUT_END_NAMES[cell(thread, THREAD_CELLS.putEndOrInvalidKind)] ?? 'running')
          : null,
    };
  });

  const consumers = Array.from({ length: plan.consumers }, (_, consumer): ConsumerRecord => {
    const thread = consumerThread(plan, consumer);
    const stored = cell(thread, THREAD_CELLS.count);
    const invalidCount = cell(thread, THREAD_CELLS.excessStoredOrInvalid);
    const logStart = consumer * plan.logCapacity;
    return {
      ...threadRecord(thread),
      consumer,
      items: Array.from(memory.logs.subarray(logStart, logStart + Math.min(stored, plan.logCapacity))),
      stored,
      storedAtClose: cell(thread, THREAD_CELLS.excessOrCountAtClose),
      inSlowStore: cell(thread, THREAD_CELLS.excessProducedOrInStore) === 1,
      invalid:
        invalidCount > 0
          ? {
              count: invalidCount,
              kind: INVALID_NAMES[cell(thread, THREAD_CELLS.putEndOrInvalidKind)] ?? 'not-a-number',
              afterItems: cell(thread, THREAD_CELLS.invalidAt),
            }
          : null,
    };
  });

  return {
    plan,
    label,
    evidence,
    producers,
    consumers,
    coordinator: coordinatorRecord(plan, memory, evidence, at),
  };
}

function coordinatorRecord(
  plan: QueueRunPlan,
  memory: QueueRunMemory,
  evidence: ThreadRunEvidence,
  at: (cell: number) => number | null,
): CoordinatorRecord {
  const { control } = memory;
  const thread = coordinatorThread(plan);
  const report = evidence.threads.find((candidate) => candidate.index === thread)!;
  const returned =
    report?.end.kind === 'returned'
      ? (report.end.value as { sizeError?: string; closeError?: string })
      : null;
  const closeStatus = control[CONTROL_CELLS.closeStatus];
  const sizeStatus = control[CONTROL_CELLS.sizeStatus];
  const size: SizeReading =
    sizeStatus === 1
      ? { kind: 'value', value: control[CONTROL_CELLS.sizeValue] }
      : sizeStatus === 2
        ? { kind: 'threw', message: returned?.sizeError ?? 'an error' }
        : sizeStatus === 3
          ? { kind: 'not-an-integer' }
          : { kind: 'not-read' };
  return {
    report,
    stopAtMs: at(TIME_CELLS.stopAt),
    holdStartMs: at(TIME_CELLS.holdStart),
    holdEndMs: at(TIME_CELLS.holdEnd),
    closeCalledAtMs: at(TIME_CELLS.closeCalledAt),
    closeReturnedAtMs: at(TIME_CELLS.closeReturnedAt),
    close: (['not-called', 'not-returned', 'returned', 'threw'] as const)[closeStatus] ?? 'not-called',
    closeError: returned?.closeError ?? null,
    size,
    putsReturnedAtHold: control[CONTROL_CELLS.putsReturnedAtHold],
    producedAtClose: control[CONTROL_CELLS.producedAtClose],
    storedAtClose: control[CONTROL_CELLS.storedAtClose],
  };
}
