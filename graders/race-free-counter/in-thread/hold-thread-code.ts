/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../mutex-memory.ts). Thread 0 takes the lock and keeps it
 * for `holdMs` while asleep on a grader cell nobody touches; every other thread calls lock() once
 * it is held, and must sleep until the release. The host compares their CPU estimate with that time.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface HoldShared {
  state: SharedArrayBuffer;
  signals: SharedArrayBuffer;
  tally: SharedArrayBuffer;
  holdMs: number;
  mutexIndex: number;
}

type MutexLike = { lock(): void; unlock(): void };
type MutexConstructor = new (state: Int32Array, index?: number) => MutexLike;

export const holdThreadCode: ThreadCode = () => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const atomicLoad = Atomics.load;
  const atomicStore = Atomics.store;
  const atomicNotify = Atomics.notify;
  const atomicWait = Atomics.wait;
  const dateNow = Date.now;
  const ROW = 16;
  const [ROUNDS, PLACE, OVERLAPS, LOCK_MS] = [0, 1, 2, 3];
  const [IN_LOCK, HOLDING, IN_UNLOCK, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  // signals: [0] thread 0 has taken the lock (never cleared); [1] thread 0 still holds it; [2] never set.
  const [TAKEN, STILL_HELD, NEVER] = [0, 1, 2];

  return (exports: Record<string, unknown>, shared: HoldShared, thread: ThreadInfo) => {
    const Mutex = exports.Mutex as MutexConstructor;
    if (typeof Mutex !== 'function') throw new NativeError('the file does not export a class named Mutex');
    const mutex = new Mutex(new Int32(shared.state), shared.mutexIndex);
    const signals = new Int32(shared.signals);
    const mine = new Int32(shared.tally, thread.index * ROW * 4, ROW);
    mine[PLACE] = BETWEEN;
    if (thread.index === 0) {
      mine[PLACE] = IN_LOCK;
      mutex.lock();
      mine[PLACE] = HOLDING;
      atomicStore(signals, STILL_HELD, 1);
      atomicStore(signals, TAKEN, 1);
      atomicNotify(signals, TAKEN);
      atomicWait(signals, NEVER, 0, shared.holdMs);
      atomicStore(signals, STILL_HELD, 0);
    } else {
      atomicWait(signals, TAKEN, 0);
      mine[PLACE] = IN_LOCK;
      const since = dateNow();
      mutex.lock();
      mine[LOCK_MS] = dateNow() - since;
      mine[PLACE] = HOLDING;
      if (atomicLoad(signals, STILL_HELD) === 1) mine[OVERLAPS]++;
    }
    mine[PLACE] = IN_UNLOCK;
    mutex.unlock();
    mine[ROUNDS] = 1;
    mine[PLACE] = FINISHED;
  };
};
