/**
 * RUNS INSIDE EVERY THREAD'S ISOLATE in a controlled run (sent as source text: no imports, no
 * closure variables; the cell numbers repeat ../controlled-flows.ts). Threads 0..P-1 produce,
 * P..P+C-1 consume, the last one plays the grader: it waits until every producer has returned,
 * then calls close(). The stop flag and the queue memory are handed to the submission as scheduled
 * views; the grader's own memory (`ledger`) is read and written through plain views, so it costs
 * no step, except the producers-done count the coordinator sleeps on (Atomics: a modelled wait).
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface ControlledFlowShared {
  queue: SharedArrayBuffer;
  stop: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  producers: number;
  consumers: number;
  capacity: number;
  /** Items all producers put together; the next() that hands out the last one sets stop[0] = 1. */
  items: number;
  /**
   * Cells of each thread's log: `items` plus one more per producer, as every other producer may call
   * next() once more after stop[0] was set (it read 0 just before).
   */
  logCapacity: number;
}

type Queue = { put(item: number): void; get(): number | undefined; close(): void; size(): number };
type QueueClass = new (buffer: SharedArrayBuffer, capacity: number) => Queue;

export const controlledFlowThread: ThreadCode = (tools) => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  const wait = Atomics.wait;
  const notify = Atomics.notify;
  // ledger: [0] producers returned, [1] items handed out; then per thread [place, count, error]
  // from cell 8; then the log of each thread's items (what next() gave a producer, what a consumer got).
  const [DONE, HANDED] = [0, 1];
  const [FIRST_THREAD, THREAD_CELLS] = [8, 3];
  const [PRODUCING, CONSUMING, CLOSING, RETURNED, THREW] = [1, 2, 3, 4, 5];

  return (exports: Record<string, unknown>, shared: ControlledFlowShared, thread: ThreadInfo) => {
    const ledger = new Int32(shared.ledger);
    const P = shared.producers;
    const C = shared.consumers;
    const me = FIRST_THREAD + thread.index * THREAD_CELLS;
    const logStart = FIRST_THREAD + (P + C + 1) * THREAD_CELLS + thread.index * shared.logCapacity;
    const Queue = exports.BoundedQueue as QueueClass;
    if (typeof Queue !== 'function')
      throw new NativeError('the file does not export a class named BoundedQueue');
    const queue = new Queue(shared.queue, shared.capacity);
    try {
      if (thread.index < P) {
        const produce = exports.produce as (q: Queue, stop: Int32Array, next: () => number) => number;
        const stop = new Int32(shared.stop);
        const p = thread.index;
        const next = () => {
          const handed = ledger[HANDED]++;
          // Distinct items, 0 and negatives among them: producer p's n-th item is (n * P + p), sign alternating.
          const n = ledger[me + 1]++;
          const item = n % 2 === 0 ? n * P + p : -(n * P + p) - 1;
          if (n < shared.logCapacity) ledger[logStart + n] = item;
          if (handed + 1 >= shared.items) store(stop, 0, 1);
          return item;
        };
        ledger[me] = PRODUCING;
        try {
          produce(queue, tools.scheduled(stop), next);
        } finally {
          // Also when produce() threw: the coordinator must not wait for a producer that is gone.
          add(ledger, DONE, 1);
          notify(ledger, DONE);
        }
      } else if (thread.index < P + C) {
        const consume = exports.consume as (q: Queue, store: (item: number) => void) => number;
        ledger[me] = CONSUMING;
        consume(queue, (item: number) => {
          const n = ledger[me + 1]++;
          if (n < shared.logCapacity) ledger[logStart + n] = item;
        });
      } else {
        for (let seen = load(ledger, DONE); seen < P; seen = load(ledger, DONE)) wait(ledger, DONE, seen);
        ledger[me] = CLOSING;
        queue.close();
      }
      ledger[me] = RETURNED;
    } catch (error) {
      ledger[me + 2] = ledger[me];
      ledger[me] = THREW;
      throw error;
    }
  };
};
