/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../lock-memory.ts). Thread 1 (index 0) acquires the lock
 * `depth` times and keeps it for `holdMs`, asleep on a grader cell; half-way it releases all but
 * one level. The other threads call acquire() once it is held: none may get in before thread 1's
 * last release(), and meanwhile they must sleep (the host compares their CPU estimate with the hold).
 * Once in, each nests one more acquire() under contention.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface HoldShared {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  signals: SharedArrayBuffer;
  lockIndex: number;
  depth: number;
  holdMs: number;
}

type LockClass = {
  new (state: Int32Array, index?: number): { acquire(): void; release(): void };
  INTS?: unknown;
};

export const holdThreadCode: ThreadCode = () => {
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  const wait = Atomics.wait;
  const notify = Atomics.notify;
  const isInteger = Number.isInteger;
  const toText = String;
  const Int32 = Int32Array;
  const NativeError = Error;
  const HEADER = 64;
  const ROW = 16;
  const [INTS_SEEN, PAUSE] = [48, 49];
  const [ROUNDS, PLACE, DEPTH, ACQUIRES, RELEASES, OVERLAPS, LOCK_MS] = [0, 1, 2, 3, 4, 5, 6];
  const [ACQUIRING, HOLDING, RELEASING, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  // signals[0]: thread 1 holds the lock (never cleared); signals[1]: thread 1 has not begun its last release().
  const [HELD, STILL_HELD] = [0, 1];
  // The only real-time parts of this code: the hold, and the time a waiter spends in acquire().
  const now = Date.now;

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as HoldShared;
    const ledger = new Int32(shared.ledger);
    const signals = new Int32(shared.signals);
    const row = HEADER + thread.index * ROW;
    const pause = (ms: number) => {
      if (ms > 0) wait(ledger, PAUSE, 0, ms);
    };
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
    const lock = new Lock(new Int32(shared.state), shared.lockIndex);

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

    if (thread.index === 0) {
      for (let level = 0; level < shared.depth; level++) acquire();
      store(signals, STILL_HELD, 1);
      store(signals, HELD, 1);
      notify(signals, HELD);
      const half = (shared.holdMs / 2) | 0;
      pause(half);
      for (let level = 1; level < shared.depth; level++) release();
      pause(shared.holdMs - half);
      store(signals, STILL_HELD, 0);
      release();
    } else {
      for (let seen = load(signals, HELD); seen === 0; seen = load(signals, HELD)) wait(signals, HELD, 0);
      const since = now();
      acquire();
      store(ledger, row + LOCK_MS, now() - since);
      if (load(signals, STILL_HELD) === 1) add(ledger, row + OVERLAPS, 1);
      acquire();
      release();
      release();
    }
    store(ledger, row + ROUNDS, 1);
    store(ledger, row + PLACE, FINISHED);
    return null;
  };
};
