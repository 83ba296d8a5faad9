/**
 * RUNS INSIDE EVERY THREAD'S ISOLATE, beside the submission (sent as source text: no imports, no
 * closure variables; the type import below is erased). The outer function runs before the
 * submission loads and captures every built-in the body uses, so a submission that replaces
 * globals cannot change what the grader records. It writes what it saw into the grader's memory
 * (`control`, `times`, `logs`), which the submission never gets; every verdict is made on the host.
 *
 * Threads 0..P-1 are producers, P..P+C-1 consumers, the last is the coordinator: it plays the
 * grader's part (stop, wait for the producers, close(), wait for the consumers), with timeouts on
 * every wait so that it never looks deadlocked itself and always returns.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';
import type { QueueRunPlan } from '../queue-run-plan';

interface QueueRunShared {
  plan: QueueRunPlan;
  queue: SharedArrayBuffer;
  stop: SharedArrayBuffer;
  control: SharedArrayBuffer;
  times: SharedArrayBuffer;
  logs: SharedArrayBuffer;
}

interface StudentQueue {
  put(item: number): void;
  get(): number | undefined;
  close(): void;
  size(): number;
}
type QueueClass = new (buffer: SharedArrayBuffer, capacity: number) => StudentQueue;
type Produce = (queue: StudentQueue, stop: Int32Array, next: () => number) => number;
type Consume = (queue: StudentQueue, store: (item: number) => void) => number;

export const queueRunThread: ThreadCode = () => {
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  const compareExchange = Atomics.compareExchange;
  const wait = Atomics.wait;
  const notify = Atomics.notify;
  const now = Date.now;
  const imul = Math.imul;
  const Int32 = Int32Array;
  const Float64 = Float64Array;
  const NativeError = Error;
  const toText = String;
  const isInteger = Number.isInteger;

  function describeError(error: unknown): string {
    try {
      if (error instanceof NativeError) return toText(error.name) + ': ' + toText(error.message);
      return 'threw ' + toText(error);
    } catch {
      return 'threw an unprintable value';
    }
  }

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as QueueRunShared;
    const plan = shared.plan;
    const cells = plan.cells;
    const T = plan.times;
    const S = plan.status;
    const own = plan.threadCells;
    const control = new Int32(shared.control);
    const stopCells = new Int32(shared.stop);
    const times = new Float64(shared.times);
    const P = plan.producers;
    const C = plan.consumers;
    const threads = P + C + 1;
    const index = thread.index;
    const base = cells.firstThread + index * plan.threadInts;
    const timeBase = T.firstThread + index * plan.threadTimes;

    const sleepMs = (ms: number) => {
      if (ms > 0) wait(control, cells.sleep, 0, ms);
    };
    /** Waits until control[cell] >= target or the deadline passes; true if reached. */
    const awaitAtLeast = (cell: number, target: number, deadline: number, pollMs: number) => {
      for (;;) {
        const seen = load(control, cell);
        if (seen >= target) return true;
        const left = deadline - now();
        if (left <= 0) return false;
        wait(control, cell, seen, left < pollMs ? left : pollMs);
      }
    };
    const awaitGate = (cell: number) => {
      while (load(control, cell) === 0) wait(control, cell, 0);
    };
    const openGate = (cell: number) => {
      store(control, cell, 1);
      notify(control, cell);
    };
    const signalStop = () => {
      if (compareExchange(control, cells.stopClaim, 0, 1) !== 0) return;
      times[T.stopAt] = now();
      store(stopCells, 0, 1);
      store(control, cells.stopSet, 1);
      notify(control, cells.stopSet);
    };

    // Every thread builds its own BoundedQueue over the same memory, and all do so before any
    // uses it: a constructor that initialises the header cannot wipe another thread's items.
    if (index === threads - 1) times[T.begin] = now();
    let queue: StudentQueue | undefined;
    try {
      queue = new (exports.BoundedQueue as QueueClass)(shared.queue, plan.capacity);
    } finally {
      add(control, cells.constructed, 1);
      notify(control, cells.constructed);
      for (
        let seen = load(control, cells.constructed);
        seen < threads;
        seen = load(control, cells.constructed)
      )
        wait(control, cells.constructed, seen);
    }

    // A producer's signal is stop, a consumer's is close(); a producer blocked on a full queue at
    // close() (producers-wait-on-full) answers to close() too.
    const signalCell = index < P && plan.kind !== 'producers-wait-on-full' ? cells.stopSet : cells.closed;
    const runStudent = (role: 'producer' | 'consumer', body: () => void) => {
      times[timeBase] = now();
      store(control, base + own.status, S.running);
      try {
        body();
        store(control, base + own.status, S.returned);
        if (load(control, signalCell) === 0) store(control, base + own.early, 1);
      } catch (error) {
        store(control, base + own.status, S.threw);
        throw error;
      } finally {
        times[timeBase + 1] = now();
        const done = role === 'producer' ? cells.producersDone : cells.consumersDone;
        add(control, done, 1);
        notify(control, done);
      }
    };

    if (index < P) {
      // Producer p: item codes p, p + P, p + 2P, ... in order; the int32 is the code times an odd key.
      const p = index;
      let seq = 0;
      let maxExcess = 0;
      const next = () => {
        const produced = add(control, cells.nextCalls, 1) + 1;
        if (produced > plan.nextLimit)
          throw new NativeError(
            'next() was still called long after stop[0] was set (' +
              toText(plan.nextLimit) +
              ' items in all): ' +
              'produce() must stop once stop[0] !== 0',
          );
        const code = seq * P + p;
        seq += 1;
        store(control, base + own.count, seq);
        if (plan.maxItems > 0 && produced >= plan.maxItems) {
          signalStop();
          // The producer that claimed the stop may be preempted before it stores it: the others wait
          // here rather than run on past the quota (a correct produce() failed that way once on a
          // machine loaded 4 to 1). The stop is stored before stopSet, so they go on with it set.
          while (load(control, cells.stopSet) === 0) wait(control, cells.stopSet, 0);
        }
        // Every item but the last next() of each producer has been put, and every item a consumer
        // has taken is stored or is the one item each consumer holds before store(): so at least
        // this many items are in the queue now. Read `produced` before `stored`, never after.
        const stored = load(control, cells.stored);
        const excess = produced - P - stored - C;
        if (excess > maxExcess) {
          maxExcess = excess;
          store(control, base + own.excessOrCountAtClose, excess);
          store(control, base + own.excessProducedOrInStore, produced);
          store(control, base + own.excessStoredOrInvalid, stored);
        }
        return imul(code, plan.itemKey);
      };
      if (plan.kind === 'consumers-wait-on-empty') awaitGate(cells.producerGate);
      runStudent('producer', () => {
        if (plan.kind !== 'producers-wait-on-full') {
          (exports.produce as Produce)(queue!, new Int32(shared.stop), next);
          return;
        }
        const putEnd = base + own.putEndOrInvalidKind;
        for (let i = 0; i < plan.putQuota; i++) {
          const item = next();
          try {
            queue!.put(item);
          } catch (error) {
            if (load(control, cells.closed) !== 0)
              return void store(control, putEnd, plan.putEnd.threwOnClose);
            store(control, putEnd, plan.putEnd.threwWhileOpen);
            throw error;
          }
          add(control, cells.putsReturned, 1);
          if (load(control, cells.closed) !== 0)
            return void store(control, putEnd, plan.putEnd.returnedAfterClose);
        }
        store(control, putEnd, plan.putEnd.quotaDone);
      });
      return null;
    }

    if (index < P + C) {
      const c = index - P;
      const logs = new Int32(shared.logs);
      const logBase = c * plan.logCapacity;
      const slowMs = c === 0 ? plan.slowConsumerMs : 0;
      let count = 0;
      let invalid = 0;
      const storeItem = (item: number) => {
        if (typeof item !== 'number' || !isInteger(item) || (item | 0) !== item) {
          if (invalid === 0) {
            const kind =
              item === undefined
                ? plan.invalidKind.undefined
                : typeof item !== 'number'
                  ? plan.invalidKind.notANumber
                  : plan.invalidKind.notAnInt32;
            store(control, base + own.putEndOrInvalidKind, kind);
            store(control, base + own.invalidAt, count);
          }
          invalid += 1;
          store(control, base + own.excessStoredOrInvalid, invalid);
          return;
        }
        if (count < plan.logCapacity) logs[logBase + count] = item;
        count += 1;
        store(control, base + own.count, count);
        add(control, cells.stored, 1);
        if (slowMs > 0) {
          store(control, base + own.excessProducedOrInStore, 1);
          sleepMs(slowMs);
          store(control, base + own.excessProducedOrInStore, 0);
        }
      };
      if (plan.kind === 'producers-wait-on-full' || plan.kind === 'drain-after-close')
        awaitGate(cells.consumerGate);
      runStudent('consumer', () => void (exports.consume as Consume)(queue!, storeItem));
      return null;
    }

    // The coordinator: the grader's own thread.
    const begin = times[T.begin];
    let sizeError: string | null = null;
    let closeError: string | null = null;

    const readSize = () => {
      try {
        const size = queue!.size();
        if (typeof size === 'number' && isInteger(size) && (size | 0) === size) {
          store(control, cells.sizeValue, size);
          store(control, cells.sizeStatus, 1);
        } else store(control, cells.sizeStatus, 3);
      } catch (error) {
        store(control, cells.sizeStatus, 2);
        sizeError = describeError(error);
      }
    };
    const awaitStop = (deadline: number) => {
      awaitAtLeast(cells.stopSet, 1, deadline, deadline - now());
      signalStop();
      // Another thread may have claimed the stop and not yet published it.
      while (load(control, cells.stopSet) === 0) sleepMs(1);
    };
    const closeQueue = () => {
      store(control, cells.producedAtClose, load(control, cells.nextCalls));
      store(control, cells.storedAtClose, load(control, cells.stored));
      for (let c = 0; c < C; c++) {
        const consumerBase = cells.firstThread + (P + c) * plan.threadInts;
        store(control, consumerBase + own.excessOrCountAtClose, load(control, consumerBase + own.count));
      }
      store(control, cells.closed, 1);
      times[T.closeCalledAt] = now();
      store(control, cells.closeStatus, 1);
      try {
        queue!.close();
        store(control, cells.closeStatus, 2);
      } catch (error) {
        store(control, cells.closeStatus, 3);
        closeError = describeError(error);
      }
      times[T.closeReturnedAt] = now();
    };
    const awaitProducers = (signalAt: number) =>
      awaitAtLeast(cells.producersDone, P, signalAt + plan.graceMs, plan.graceMs);
    const awaitConsumers = () =>
      awaitAtLeast(cells.consumersDone, C, times[T.closeCalledAt] + plan.graceMs, plan.graceMs);

    if (plan.kind === 'producers-wait-on-full') {
      awaitAtLeast(cells.putsReturned, plan.capacity, begin + plan.holdMs, 2);
      times[T.holdStart] = now();
      sleepMs(plan.holdMs);
      store(control, cells.putsReturnedAtHold, load(control, cells.putsReturned));
      readSize();
      times[T.holdEnd] = now();
      closeQueue();
      openGate(cells.consumerGate);
      awaitProducers(times[T.closeCalledAt]);
      awaitConsumers();
      return { sizeError, closeError };
    }

    let producersStart = begin;
    if (plan.kind === 'consumers-wait-on-empty') {
      times[T.holdStart] = begin;
      sleepMs(begin + plan.holdMs - now());
      readSize();
      producersStart = now();
      times[T.holdEnd] = producersStart;
      openGate(cells.producerGate);
    }
    awaitStop(producersStart + plan.runMs);
    awaitProducers(times[T.stopAt]);
    if (plan.kind === 'consumers-wait-on-empty') {
      // Close only once consumers have taken everything and are asleep in get() on the empty queue.
      const deadline = now() + plan.graceMs;
      while (load(control, cells.stored) < load(control, cells.nextCalls) && now() < deadline) sleepMs(2);
      sleepMs(plan.settleMs);
    }
    if (plan.kind === 'drain-after-close') readSize();
    closeQueue();
    if (plan.kind === 'drain-after-close') openGate(cells.consumerGate);
    awaitConsumers();
    return { sizeError, closeError };
  };
};
