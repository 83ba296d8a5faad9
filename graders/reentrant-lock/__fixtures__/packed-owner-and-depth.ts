// Another correct design: one cell holds both who holds the lock and how deep, so taking a free
// lock and counting the first level is a single compareExchange. The holder's threadId is in the
// high 16 bits, the depth in the low 16; 0 while free.
import { threadId } from 'node:worker_threads';

const DEPTH_BITS = 16;
const DEPTH_MASK = (1 << DEPTH_BITS) - 1;
const SPINS = 100;

export class ReentrantLock {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    for (let tries = 0; ; tries++) {
      const seen = Atomics.load(state, index);
      if (seen === 0) {
        if (Atomics.compareExchange(state, index, 0, (threadId << DEPTH_BITS) | 1) === 0) return;
        continue;
      }
      // Only the holder changes a held cell, so one more level is a plain add.
      if (seen >>> DEPTH_BITS === threadId) {
        Atomics.add(state, index, 1);
        return;
      }
      if (tries >= SPINS) Atomics.wait(state, index, seen);
    }
  }

  release(): void {
    const { state, index } = this;
    const seen = Atomics.load(state, index);
    if (seen === 0 || seen >>> DEPTH_BITS !== threadId)
      throw new Error(`thread ${threadId} does not hold this lock`);
    if ((seen & DEPTH_MASK) > 1) {
      Atomics.sub(state, index, 1);
      return;
    }
    Atomics.store(state, index, 0);
    Atomics.notify(state, index, 1);
  }
}
