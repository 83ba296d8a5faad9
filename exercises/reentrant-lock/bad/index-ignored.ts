// expect-fail: independent-locks
// Mistake: a correct reentrant lock, but always in state[0] and state[1]: every ReentrantLock over
// the same array is the same lock, whatever `index` it was given.
import { threadId } from 'node:worker_threads';

export class ReentrantLock {
  static readonly INTS = 2;

  constructor(private readonly state: Int32Array) {}

  acquire(): void {
    const { state } = this;
    if (Atomics.load(state, 0) === threadId) {
      Atomics.add(state, 1, 1);
      return;
    }
    for (;;) {
      const holder = Atomics.compareExchange(state, 0, 0, threadId);
      if (holder === 0) break;
      Atomics.wait(state, 0, holder);
    }
    Atomics.store(state, 1, 1);
  }

  release(): void {
    const { state } = this;
    if (Atomics.load(state, 0) !== threadId) throw new Error('release() of a lock this thread does not hold');
    if (Atomics.sub(state, 1, 1) === 1) {
      Atomics.store(state, 0, 0);
      Atomics.notify(state, 0, 1);
    }
  }
}
