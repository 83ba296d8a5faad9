// expect-fail: waiters-sleep
// Mistake: correct otherwise, but a waiting thread loops on compareExchange instead of sleeping,
// burning a whole core for as long as another thread holds the lock.
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
    while (Atomics.compareExchange(state, index, 0, threadId) !== 0) {
      // try again at once
    }
    Atomics.store(state, index + 1, 1);
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) !== threadId) throw new Error('release() of a lock this thread does not hold');
    if (Atomics.sub(state, index + 1, 1) === 1) Atomics.store(state, index, 0);
  }
}
