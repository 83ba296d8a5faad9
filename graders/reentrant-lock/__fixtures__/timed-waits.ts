// Another correct design: waiters sleep with a timeout and look again (a release() still notifies),
// and the depth is a plain cell read and written only by the holder. Under the controlled
// scheduler the timeouts run on its virtual clock; plain reads and writes of `state` are steps too.
import { threadId } from 'node:worker_threads';

const OWNER = 0;
const DEPTH = 1;
const LOOK_AGAIN_MS = 20;

export class ReentrantLock {
  static readonly INTS = 2;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    if (Atomics.load(state, index + OWNER) === threadId) {
      state[index + DEPTH] += 1;
      return;
    }
    for (;;) {
      const holder = Atomics.compareExchange(state, index + OWNER, 0, threadId);
      if (holder === 0) break;
      Atomics.wait(state, index + OWNER, holder, LOOK_AGAIN_MS);
    }
    state[index + DEPTH] = 1;
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index + OWNER) !== threadId) throw new Error('not yours to release');
    const depth = state[index + DEPTH] - 1;
    state[index + DEPTH] = depth;
    if (depth > 0) return;
    Atomics.store(state, index + OWNER, 0);
    Atomics.notify(state, index + OWNER, 1);
  }
}
