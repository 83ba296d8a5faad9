// Another correct design: release() calls Atomics.notify only when a thread may be asleep. A
// waiter counts itself in a third cell before it sleeps; the counting cell changes while other
// threads call acquire() and release(), which the grader must not blame on them.
import { threadId } from 'node:worker_threads';

const OWNER = 0;
const DEPTH = 1;
const SLEEPERS = 2;
const SPINS = 100;

export class ReentrantLock {
  static readonly INTS = 3;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    if (Atomics.load(state, index + OWNER) === threadId) {
      Atomics.add(state, index + DEPTH, 1);
      return;
    }
    for (let tries = 0; ; tries++) {
      const holder = Atomics.compareExchange(state, index + OWNER, 0, threadId);
      if (holder === 0) break;
      if (tries < SPINS) continue;
      // Counted in before sleeping: a release() that frees the lock after this sees us and notifies;
      // one that freed it before makes the wait return at once, the cell no longer being `holder`.
      Atomics.add(state, index + SLEEPERS, 1);
      Atomics.wait(state, index + OWNER, holder);
      Atomics.sub(state, index + SLEEPERS, 1);
    }
    Atomics.store(state, index + DEPTH, 1);
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index + OWNER) !== threadId) throw new Error('not the holder');
    if (Atomics.sub(state, index + DEPTH, 1) > 1) return;
    Atomics.store(state, index + OWNER, 0);
    if (Atomics.load(state, index + SLEEPERS) > 0) Atomics.notify(state, index + OWNER, 1);
  }
}
