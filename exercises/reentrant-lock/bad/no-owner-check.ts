// expect-fail: release-not-held
// Mistake: release() never checks who calls it: any thread can release the lock, even one that does
// not hold it, and the count goes wrong.
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
    if (Atomics.sub(state, index + 1, 1) <= 1) {
      Atomics.store(state, index + 1, 0);
      Atomics.store(state, index, 0);
      Atomics.notify(state, index, 1);
    }
  }
}
