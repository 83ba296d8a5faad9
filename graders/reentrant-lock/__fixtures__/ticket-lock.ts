// Another correct design: a fair (FIFO) reentrant lock. Each thread that must wait takes a ticket
// and sleeps until its number is served; the holder's threadId and depth sit beside the tickets.
import { threadId } from 'node:worker_threads';

const NEXT_TICKET = 0;
const SERVING = 1;
const OWNER = 2;
const DEPTH = 3;

export class ReentrantLock {
  static readonly INTS = 4;

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
    const ticket = Atomics.add(state, index + NEXT_TICKET, 1);
    for (let serving = Atomics.load(state, index + SERVING); serving !== ticket;) {
      Atomics.wait(state, index + SERVING, serving);
      serving = Atomics.load(state, index + SERVING);
    }
    Atomics.store(state, index + OWNER, threadId);
    Atomics.store(state, index + DEPTH, 1);
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index + OWNER) !== threadId)
      throw new Error('release() of a lock this thread does not hold');
    if (Atomics.sub(state, index + DEPTH, 1) > 1) return;
    Atomics.store(state, index + OWNER, 0);
    Atomics.add(state, index + SERVING, 1);
    // Every sleeper wakes; only the next ticket goes on, the others sleep again.
    Atomics.notify(state, index + SERVING);
  }
}
