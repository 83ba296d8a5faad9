/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../lock-memory.ts). Two threads. Thread 1 calls release()
 * on the free lock; then it acquires the lock twice, and thread 2 calls release() on it. Each of
 * those release() calls must throw and change nothing: the grader copies the lock's cells before
 * and compares after. Then thread 2 calls acquire(), which must wait until thread 1 has released
 * both levels (after a pause of `holdMs`).
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface ReleaseNotHeldShared {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  signals: SharedArrayBuffer;
  lockIndex: number;
  holdMs: number;
}

type LockClass = {
  new (state: Int32Array, index?: number): { acquire(): void; release(): void };
  INTS?: unknown;
};

export const releaseNotHeldThreadCode: ThreadCode = () => {
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
  const [ROUNDS, PLACE, DEPTH, ACQUIRES, RELEASES, OVERLAPS] = [0, 1, 2, 3, 4, 5];
  const [BAD_RELEASE, CHANGED_CELL, CHANGED_FROM, CHANGED_TO] = [8, 9, 10, 11];
  const [ACQUIRING, HOLDING, RELEASING, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  const [THREW, RETURNED] = [1, 2];
  // signals[0]: thread 1 holds the lock twice; [1]: thread 2 has tried its release(); [2]: thread 1 has not begun to release.
  const [HELD, TRIED, STILL_HELD] = [0, 1, 2];

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as ReleaseNotHeldShared;
    const ledger = new Int32(shared.ledger);
    const signals = new Int32(shared.signals);
    const state = new Int32(shared.state);
    const row = HEADER + thread.index * ROW;
    // The only real-time part of this code: thread 1 keeps the lock a little while thread 2 waits.
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
    const lock = new Lock(state, shared.lockIndex);

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
    /** release() by a thread that does not hold the lock: it must throw, and leave every cell as it was. */
    const releaseNotHeld = () => {
      const first = shared.lockIndex;
      // A typed array: no setter or getter the submission puts on Array.prototype can touch it.
      const before = new Int32(ints);
      for (let cell = 0; cell < ints; cell++) before[cell] = load(state, first + cell);
      const place = load(ledger, row + PLACE);
      store(ledger, row + PLACE, RELEASING);
      let outcome = RETURNED;
      try {
        lock.release();
      } catch {
        outcome = THREW;
      }
      store(ledger, row + PLACE, place);
      store(ledger, row + BAD_RELEASE, outcome);
      for (let cell = 0; cell < ints; cell++) {
        const after = load(state, first + cell);
        if (after === before[cell]) continue;
        store(ledger, row + CHANGED_CELL, first + cell + 1);
        store(ledger, row + CHANGED_FROM, before[cell]);
        store(ledger, row + CHANGED_TO, after);
        break;
      }
    };

    if (thread.index === 0) {
      releaseNotHeld();
      acquire();
      acquire();
      store(signals, STILL_HELD, 1);
      store(signals, HELD, 1);
      notify(signals, HELD);
      for (let seen = load(signals, TRIED); seen === 0; seen = load(signals, TRIED)) wait(signals, TRIED, 0);
      pause(shared.holdMs);
      store(signals, STILL_HELD, 0);
      release();
      release();
    } else {
      for (let seen = load(signals, HELD); seen === 0; seen = load(signals, HELD)) wait(signals, HELD, 0);
      releaseNotHeld();
      store(signals, TRIED, 1);
      notify(signals, TRIED);
      acquire();
      if (load(signals, STILL_HELD) === 1) add(ledger, row + OVERLAPS, 1);
      release();
    }
    store(ledger, row + ROUNDS, 1);
    store(ledger, row + PLACE, FINISHED);
    return null;
  };
};
