// expect-fail: exclusion
// Mistake: checks that the lock is free, then writes its threadId with a separate store. Two threads
// can both see 0 before either stores, and both go in: the check and the set must be one
// compareExchange.
import { threadId } from 'node:worker_threads';

export class ReentrantLock {
  static readonly INTS = 2;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    const holder = Atomics.load(state, index);
    if (holder === threadId) {
      Atomics.add(state, index + 1, 1);
      return;
    }
    for (;;) {
      const seen = Atomics.load(state, index);
      if (seen === 0) {
        Atomics.store(state, index, threadId);
        break;
      }
      Atomics.wait(state, index, seen);
    }
    Atomics.store(state, index + 1, 1);
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) !== threadId) throw new Error('release() of a lock this thread does not hold');
    if (Atomics.sub(state, index + 1, 1) === 1) {
      Atomics.store(state, index, 0);
      Atomics.notify(state, index, 1);
    }
  }
}
