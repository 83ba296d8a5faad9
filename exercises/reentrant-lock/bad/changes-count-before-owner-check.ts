// expect-fail: release-not-held
// Mistake: release() counts one level down first and checks the owner after: a release() by a
// thread that does not hold the lock throws, but has already changed the holder's count.
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
    const left = Atomics.sub(state, index + 1, 1) - 1;
    if (Atomics.load(state, index) !== threadId) throw new Error('release() of a lock this thread does not hold');
    if (left === 0) {
      Atomics.store(state, index, 0);
      Atomics.notify(state, index, 1);
    }
  }
}
