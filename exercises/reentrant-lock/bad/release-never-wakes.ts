// expect-fail: finishes-in-time
// Mistake: the last release() frees the lock but never calls Atomics.notify, so a thread asleep in
// acquire() sleeps for ever.
import { threadId } from 'node:worker_threads';

export class ReentrantLock {
  static readonly INTS = 2;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) === threadId) {
      Atomics.add(state, index + 1, 1);
      return;
    }
    for (;;) {
      const holder = Atomics.compareExchange(state, index, 0, threadId);
      if (holder === 0) break;
      Atomics.wait(state, index, holder);
    }
    Atomics.store(state, index + 1, 1);
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) !== threadId) throw new Error('release() of a lock this thread does not hold');
    if (Atomics.sub(state, index + 1, 1) === 1) Atomics.store(state, index, 0);
  }
}
