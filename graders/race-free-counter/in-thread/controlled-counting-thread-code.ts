/**
 * RUNS INSIDE EACH STUDENT THREAD in a controlled run (sent as source text: no imports, no closure
 * variables; the numbers repeat ../mutex-memory.ts). Each round: lock(); v = c[0]; c[0] = v + 1;
 * unlock(). The counter is handed over as a scheduled view, so its read and its write are steps the
 * scheduler can pull apart; the tally and the count of threads inside are the grader's plain views
 * (no steps: only one thread moves at a time, so they are exact).
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface ControlledCountingShared {
  state: SharedArrayBuffer;
  counter: SharedArrayBuffer;
  tally: SharedArrayBuffer;
  rounds: number;
  mutexIndex: number;
}

type MutexLike = { lock(): void; unlock(): void };
type MutexConstructor = new (state: Int32Array, index?: number) => MutexLike;

export const controlledCountingThreadCode: ThreadCode = (tools) => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const ROW = 16;
  const [ROUNDS, PLACE, OVERLAPS] = [0, 1, 2];
  const [IN_LOCK, HOLDING, IN_UNLOCK, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  const [VALUE, INSIDE] = [0, 16];

  return (exports: Record<string, unknown>, shared: ControlledCountingShared, thread: ThreadInfo) => {
    const mine = new Int32(shared.tally, thread.index * ROW * 4, ROW);
    const plain = new Int32(shared.counter);
    const c = tools.scheduled(new Int32(shared.counter));
    mine[PLACE] = BETWEEN;
    const Mutex = exports.Mutex as MutexConstructor;
    if (typeof Mutex !== 'function') throw new NativeError('the file does not export a class named Mutex');
    const mutex = new Mutex(tools.scheduled(new Int32(shared.state)), shared.mutexIndex);
    for (let round = 0; round < shared.rounds; round++) {
      mine[PLACE] = IN_LOCK;
      mutex.lock();
      mine[PLACE] = HOLDING;
      if (plain[INSIDE]++ !== 0) mine[OVERLAPS]++;
      const v = c[VALUE];
      c[VALUE] = v + 1;
      plain[INSIDE]--;
      mine[PLACE] = IN_UNLOCK;
      mutex.unlock();
      mine[ROUNDS] = round + 1;
      mine[PLACE] = BETWEEN;
    }
    mine[PLACE] = FINISHED;
  };
};
