/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../mutex-memory.ts). Two threads, each with its own Mutex
 * at a different index of one array. In round 1 thread 0 holds its lock until thread 1 has taken
 * and released its own; in round 2 the roles swap. A Mutex that ignores `index` makes the second
 * lock() wait for a release that only comes after it: both threads end up blocked.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface TwoIndexesShared {
  state: SharedArrayBuffer;
  signals: SharedArrayBuffer;
  tally: SharedArrayBuffer;
  /** The index of thread 0's Mutex, then thread 1's. */
  indexes: [number, number];
}

type MutexLike = { lock(): void; unlock(): void };
type MutexConstructor = new (state: Int32Array, index?: number) => MutexLike;

export const twoIndexesThreadCode: ThreadCode = () => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const atomicStore = Atomics.store;
  const atomicNotify = Atomics.notify;
  // The wrapped, measured Atomics.wait: the watchdog sees these waits on the grader's cells.
  const atomicWait = Atomics.wait;
  const ROW = 16;
  const [ROUNDS, PLACE] = [0, 1];
  const [IN_LOCK, HOLDING, IN_UNLOCK, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];

  return (exports: Record<string, unknown>, shared: TwoIndexesShared, thread: ThreadInfo) => {
    const Mutex = exports.Mutex as MutexConstructor;
    if (typeof Mutex !== 'function') throw new NativeError('the file does not export a class named Mutex');
    const mutex = new Mutex(new Int32(shared.state), shared.indexes[thread.index]);
    const signals = new Int32(shared.signals);
    const mine = new Int32(shared.tally, thread.index * ROW * 4, ROW);
    mine[PLACE] = BETWEEN;
    const lock = () => {
      mine[PLACE] = IN_LOCK;
      mutex.lock();
      mine[PLACE] = HOLDING;
    };
    const unlock = () => {
      mine[PLACE] = IN_UNLOCK;
      mutex.unlock();
      mine[PLACE] = BETWEEN;
      mine[ROUNDS]++;
    };
    // A counted loop: the submission may have replaced Array.prototype[Symbol.iterator] by now.
    for (let holder = 0; holder < 2; holder++) {
      // signals[2 * holder]: the holder has its lock; signals[2 * holder + 1]: the other thread has taken and released its own.
      const held = 2 * holder;
      const otherDone = held + 1;
      if (thread.index === holder) {
        lock();
        atomicStore(signals, held, 1);
        atomicNotify(signals, held);
        atomicWait(signals, otherDone, 0);
        unlock();
      } else {
        atomicWait(signals, held, 0);
        lock();
        unlock();
        atomicStore(signals, otherDone, 1);
        atomicNotify(signals, otherDone);
      }
    }
    mine[PLACE] = FINISHED;
  };
};
