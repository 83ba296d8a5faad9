// expect-fail: nested-acquisition, exclusion
// Mistake: the holder may acquire again, but nobody counts how deep: the first release() frees the
// lock although the holder is still one level in, and its next release() finds it does not hold it.
import { threadId } from 'node:worker_threads';

export class ReentrantLock {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) === threadId) return;
    for (;;) {
      const holder = Atomics.compareExchange(state, index, 0, threadId);
      if (holder === 0) return;
      Atomics.wait(state, index, holder);
    }
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) !== threadId) throw new Error('release() of a lock this thread does not hold');
    Atomics.store(state, index, 0);
    Atomics.notify(state, index, 1);
  }
}
