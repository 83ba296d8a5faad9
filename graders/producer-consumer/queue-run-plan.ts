/**
 * One run of the queue with P producer threads, C consumer threads and one coordinator thread (the
 * grader's own, last), and where each thread writes what it saw. The plan travels to every thread
 * as plain data next to the shared memory, so the thread code needs no imports.
 */

/**
 * flow: producers and consumers run together until the grader stops the producers, then close().
 * consumers-wait-on-empty: producers are held back for `holdMs`, so consumers wait on an empty queue.
 * producers-wait-on-full: consumers are held back; producers fill the queue and wait on it for
 *   `holdMs`; then close() is called while they are blocked (their put() must throw), and only then
 *   do the consumers start, to drain what was queued.
 * drain-after-close: producers put fewer items than the capacity and stop; close() is called with
 *   every item still queued; only then do the consumers start.
 */
export type QueueRunKind =
  'flow' | 'consumers-wait-on-empty' | 'producers-wait-on-full' | 'drain-after-close';

/** Int32 cells of the grader's control buffer, never shown to the submission. */
export const CONTROL_CELLS = {
  /** Whoever sets stop first claims this, then writes stopAt, then sets stopSet and stop[0]. */
  stopClaim: 0,
  stopSet: 1,
  /** next() calls so far, all producers. */
  nextCalls: 2,
  /** store() calls so far, all consumers. */
  stored: 3,
  producersDone: 4,
  consumersDone: 5,
  producerGate: 6,
  consumerGate: 7,
  /** Set by the coordinator just before it calls close(). */
  closed: 8,
  /** put() calls that returned (producers-wait-on-full, where the thread code calls put itself). */
  putsReturned: 9,
  /** Never written: a cell to sleep on with a timeout. */
  sleep: 10,
  /** 0 size() not called, 1 read into sizeValue, 2 threw, 3 returned something that is not an integer. */
  sizeStatus: 11,
  sizeValue: 12,
  /** 0 close() not called, 1 called and not returned, 2 returned, 3 threw. */
  closeStatus: 13,
  putsReturnedAtHold: 14,
  producedAtClose: 15,
  storedAtClose: 16,
  /** Threads that have constructed their BoundedQueue (every thread does before any uses it). */
  constructed: 17,
  firstThread: 20,
} as const;

/** Int32 cells of each thread's block in the control buffer. */
export const THREAD_CELLS = {
  /** 0 not started, 1 running the submission, 2 returned, 3 threw. */
  status: 0,
  /** 1: returned before its signal (a producer before stop, a consumer before close). */
  early: 1,
  /** Producer: next() calls. Consumer: items handed to store() (int32 ones). */
  count: 2,
  /** Producer: the largest "put but certainly not yet taken" lower bound it saw. Consumer: count when close() was called. */
  excessOrCountAtClose: 3,
  /** Producer: next() calls when that bound was seen. Consumer: 1 while inside the grader's slow store(). */
  excessProducedOrInStore: 4,
  /** Producer: store() calls when that bound was seen. Consumer: values handed to store() that were not int32. */
  excessStoredOrInvalid: 5,
  /** Producer (producers-wait-on-full): how its put() loop ended. Consumer: what the first invalid value was. */
  putEndOrInvalidKind: 6,
  /** Consumer: how many int32 items it had stored before the first invalid value. */
  invalidAt: 7,
} as const;
export const THREAD_INTS = 8;

export const THREAD_STATUS = { notStarted: 0, running: 1, returned: 2, threw: 3 } as const;
export const PUT_END = {
  running: 0,
  quotaDone: 1,
  threwOnClose: 2,
  returnedAfterClose: 3,
  threwWhileOpen: 4,
} as const;
export const INVALID_KIND = { undefined: 1, notANumber: 2, notAnInt32: 3 } as const;

/** Float64 cells of the times buffer: Date.now() values taken in the threads. */
export const TIME_CELLS = {
  begin: 0,
  stopAt: 1,
  holdStart: 2,
  holdEnd: 3,
  closeCalledAt: 4,
  closeReturnedAt: 5,
  firstThread: 8,
} as const;
/** Per thread: started (after the grader released it), returned. */
export const THREAD_TIMES = 2;

export interface QueueRunPlan {
  kind: QueueRunKind;
  producers: number;
  consumers: number;
  capacity: number;
  /** next() sets stop once this many items were produced in all; 0: never (producers-wait-on-full). */
  maxItems: number;
  /**
   * next() throws once this many items were produced in all: a produce() that ignores stop is
   * stopped, and every item fits in a consumer's log, so a log that overflows holds duplicates.
   */
  nextLimit: number;
  /** producers-wait-on-full: how many put() calls each producer makes at most. */
  putQuota: number;
  /** The coordinator sets stop this long after the producers start, if next() has not yet. */
  runMs: number;
  /** How long consumers wait on an empty queue, or producers on a full one. */
  holdMs: number;
  /** Consumer 0 sleeps this long in each store(): a slow consumer; 0 for none. */
  slowConsumerMs: number;
  /** The time a thread has to return after its signal. */
  graceMs: number;
  /** consumers-wait-on-empty: pause after the last item is consumed, so consumers are blocked in get() at close(). */
  settleMs: number;
  /** Host only (sleep check): a waiter spins if its CPU estimate passes this share of the wait... */
  spinCpuShare: number;
  /** ...and this many ms. */
  minSpinCpuMs: number;
  /** Odd multiplier that turns an item's code into the int32 handed to put() (see item-code.ts). */
  itemKey: number;
  /** Items each consumer's log holds (nextLimit); later ones are counted, not kept. */
  logCapacity: number;
  queueBytes: number;
  cells: typeof CONTROL_CELLS;
  threadCells: typeof THREAD_CELLS;
  threadInts: number;
  times: typeof TIME_CELLS;
  threadTimes: number;
  status: typeof THREAD_STATUS;
  putEnd: typeof PUT_END;
  invalidKind: typeof INVALID_KIND;
}

export function threadCount(plan: Pick<QueueRunPlan, 'producers' | 'consumers'>): number {
  return plan.producers + plan.consumers + 1;
}

/** The thread index of producer p, consumer c and the coordinator. */
export const producerThread = (p: number) => p;
export const consumerThread = (plan: Pick<QueueRunPlan, 'producers'>, c: number) => plan.producers + c;
export const coordinatorThread = (plan: Pick<QueueRunPlan, 'producers' | 'consumers'>) =>
  plan.producers + plan.consumers;

/** The memory layout constants every plan carries to the threads. */
export const PLAN_LAYOUT = {
  cells: CONTROL_CELLS,
  threadCells: THREAD_CELLS,
  threadInts: THREAD_INTS,
  times: TIME_CELLS,
  threadTimes: THREAD_TIMES,
  status: THREAD_STATUS,
  putEnd: PUT_END,
  invalidKind: INVALID_KIND,
} as const;

/** How a run reads in messages: "2 producers, 3 consumers, capacity 4". */
export function describeShape(plan: Pick<QueueRunPlan, 'producers' | 'consumers' | 'capacity'>): string {
  const producers = plan.producers === 1 ? '1 producer' : `${plan.producers} producers`;
  const consumers = plan.consumers === 1 ? '1 consumer' : `${plan.consumers} consumers`;
  return `${producers}, ${consumers}, capacity ${plan.capacity}`;
}
