/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../mutex-memory.ts). The outer function runs before the
 * submission loads and captures the built-ins the body uses. It decides nothing: it does the
 * rounds the brief describes and leaves what happened in the grader's own memory.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface CountingShared {
  state: SharedArrayBuffer;
  counter: SharedArrayBuffer;
  tally: SharedArrayBuffer;
  /** Rounds each thread does (even), unless `maxMs` passes first (so a fair but slow lock still ends in time). */
  rounds: number;
  maxMs: number;
  /** The index the Mutex is built with; null builds it with the default (no second argument). */
  mutexIndex: number | null;
  /**
   * The increment/decrement pair: each thread adds 1 and subtracts 1 in turn (odd threads subtract
   * first) and stops only after an even round, so the counter must end at 0.
   */
  alternate: boolean;
}

type MutexLike = { lock(): void; unlock(): void };
type MutexConstructor = new (state: Int32Array, index?: number) => MutexLike;

/** Each round: lock(); v = c[0]; c[0] = v + 1 (or - 1); unlock(). Stops only after an even round. */
export const countingThreadCode: ThreadCode = () => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const atomicAdd = Atomics.add;
  const atomicSub = Atomics.sub;
  const atomicLoad = Atomics.load;
  const dateNow = Date.now;
  const ROW = 16;
  const [ROUNDS, PLACE, OVERLAPS] = [0, 1, 2];
  const [IN_LOCK, HOLDING, IN_UNLOCK, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  const [VALUE, INSIDE, ARRIVED] = [0, 16, 32];

  return (exports: Record<string, unknown>, shared: CountingShared, thread: ThreadInfo) => {
    const c = new Int32(shared.counter);
    const mine = new Int32(shared.tally, thread.index * ROW * 4, ROW);
    // A short spinning barrier on top of the runtime's sleeping one: threads woken from a wait start
    // milliseconds apart. Bounded, so that on a busy host spinners do not keep the late ones from a core.
    atomicAdd(c, ARRIVED, 1);
    const giveUpAt = dateNow() + 5;
    while (atomicLoad(c, ARRIVED) < thread.count && dateNow() < giveUpAt) {
      // spin
    }
    mine[PLACE] = BETWEEN;
    const Mutex = exports.Mutex as MutexConstructor;
    if (typeof Mutex !== 'function') throw new NativeError('the file does not export a class named Mutex');
    const state = new Int32(shared.state);
    const mutex = shared.mutexIndex === null ? new Mutex(state) : new Mutex(state, shared.mutexIndex);
    let step = shared.alternate && thread.index % 2 === 1 ? -1 : 1;
    const turn = shared.alternate ? -1 : 1;
    const until = dateNow() + shared.maxMs;
    for (let round = 0; round < shared.rounds; round++) {
      if ((round & 15) === 0 && dateNow() > until) break;
      mine[PLACE] = IN_LOCK;
      mutex.lock();
      mine[PLACE] = HOLDING;
      // Counting who is inside catches two holders even when no update happens to be lost.
      if (atomicAdd(c, INSIDE, 1) !== 0) mine[OVERLAPS]++;
      const v = c[VALUE];
      c[VALUE] = v + step;
      step *= turn;
      atomicSub(c, INSIDE, 1);
      mine[PLACE] = IN_UNLOCK;
      mutex.unlock();
      mine[ROUNDS] = round + 1;
      mine[PLACE] = BETWEEN;
    }
    mine[PLACE] = FINISHED;
  };
};
