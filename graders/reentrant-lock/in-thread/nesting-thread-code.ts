/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../lock-memory.ts). Two threads. For depth 1 to maxDepth,
 * thread 1 acquires the lock that many times and releases it as often; then thread 2, which waits
 * for that on a grader cell, takes the lock once and gives it back. Thread 1's nested acquire()
 * must return at once, and after as many releases the lock must be free for thread 2.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface NestingShared {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  signals: SharedArrayBuffer;
  lockIndex: number | null;
  maxDepth: number;
}

type LockClass = {
  new (state: Int32Array, index?: number): { acquire(): void; release(): void };
  INTS?: unknown;
};

export const nestingThreadCode: ThreadCode = () => {
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  // The wrapped, measured Atomics.wait: the watchdog sees these waits on the grader's cells.
  const wait = Atomics.wait;
  const notify = Atomics.notify;
  const isInteger = Number.isInteger;
  const toText = String;
  const Int32 = Int32Array;
  const NativeError = Error;
  const HEADER = 64;
  const ROW = 16;
  const INTS_SEEN = 48;
  const [ROUNDS, PLACE, DEPTH, ACQUIRES, RELEASES] = [0, 1, 2, 3, 4];
  const [ACQUIRING, HOLDING, RELEASING, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  // signals[0]: the depth thread 1 has finished (acquired and released); signals[1]: the depth after which thread 2 took the lock.
  const [NESTED, TAKEN] = [0, 1];

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as NestingShared;
    const ledger = new Int32(shared.ledger);
    const signals = new Int32(shared.signals);
    const row = HEADER + thread.index * ROW;
    store(ledger, row + PLACE, BETWEEN);
    const Lock = exports.ReentrantLock as LockClass;
    if (typeof Lock !== 'function')
      throw new NativeError('the file does not export a class named ReentrantLock');
    const ints = Lock.INTS;
    if (typeof ints !== 'number' || !isInteger(ints) || ints < 1 || ints > 16)
      throw new NativeError(
        'ReentrantLock.INTS must be a whole number of cells from 1 to 16, not ' + toText(ints),
      );
    store(ledger, INTS_SEEN, ints);
    const state = new Int32(shared.state);
    const lock = shared.lockIndex === null ? new Lock(state) : new Lock(state, shared.lockIndex);

    const acquire = () => {
      store(ledger, row + PLACE, ACQUIRING);
      lock.acquire();
      add(ledger, row + ACQUIRES, 1);
      store(ledger, row + DEPTH, load(ledger, row + DEPTH) + 1);
      store(ledger, row + PLACE, HOLDING);
    };
    const release = () => {
      store(ledger, row + PLACE, RELEASING);
      lock.release();
      add(ledger, row + RELEASES, 1);
      const depth = load(ledger, row + DEPTH) - 1;
      store(ledger, row + DEPTH, depth);
      store(ledger, row + PLACE, depth > 0 ? HOLDING : BETWEEN);
    };
    const awaitSignal = (cell: number, atLeast: number) => {
      for (let seen = load(signals, cell); seen < atLeast; seen = load(signals, cell))
        wait(signals, cell, seen);
    };
    const signal = (cell: number, value: number) => {
      store(signals, cell, value);
      notify(signals, cell);
    };

    for (let depth = 1; depth <= shared.maxDepth; depth++) {
      if (thread.index === 0) {
        for (let level = 0; level < depth; level++) acquire();
        for (let level = 0; level < depth; level++) release();
        store(ledger, row + ROUNDS, depth);
        signal(NESTED, depth);
        awaitSignal(TAKEN, depth);
      } else {
        awaitSignal(NESTED, depth);
        acquire();
        release();
        store(ledger, row + ROUNDS, depth);
        signal(TAKEN, depth);
      }
    }
    store(ledger, row + PLACE, FINISHED);
    return null;
  };
};
