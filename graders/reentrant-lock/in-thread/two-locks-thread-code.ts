/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../lock-memory.ts). Two threads, two locks side by side in
 * one array: thread 1's at `firstIndex`, thread 2's right after it (firstIndex + INTS). In round 1
 * thread 1 holds its lock until thread 2 has taken and released its own; in round 2 the
 * roles swap. A lock that strays outside its INTS cells makes the second acquire() wait for a
 * release that only comes after it: both threads end up blocked.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface TwoLocksShared {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  signals: SharedArrayBuffer;
  firstIndex: number;
}

type LockClass = {
  new (state: Int32Array, index?: number): { acquire(): void; release(): void };
  INTS?: unknown;
};

export const twoLocksThreadCode: ThreadCode = () => {
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
  const INTS_SEEN = 48;
  const [ROUNDS, PLACE, DEPTH, ACQUIRES, RELEASES] = [0, 1, 2, 3, 4];
  const [ACQUIRING, HOLDING, RELEASING, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as TwoLocksShared;
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
    const lock = new Lock(new Int32(shared.state), shared.firstIndex + thread.index * ints);

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

    // A counted loop: the submission may have replaced Array.prototype[Symbol.iterator] by now.
    for (let holder = 0; holder < 2; holder++) {
      // signals[2 * holder]: the holder holds its lock; signals[2 * holder + 1]: the other thread has taken and released its own.
      const held = 2 * holder;
      const otherDone = held + 1;
      if (thread.index === holder) {
        acquire();
        store(signals, held, 1);
        notify(signals, held);
        while (load(signals, otherDone) === 0) wait(signals, otherDone, 0);
        release();
      } else {
        while (load(signals, held) === 0) wait(signals, held, 0);
        acquire();
        release();
        store(signals, otherDone, 1);
        notify(signals, otherDone);
      }
      store(ledger, row + ROUNDS, holder + 1);
    }
    store(ledger, row + PLACE, FINISHED);
    return null;
  };
};
