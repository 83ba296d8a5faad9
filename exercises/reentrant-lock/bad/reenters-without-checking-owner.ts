// expect-fail: exclusion
// Mistake: "if the lock is held, this must be a nested call": acquire() checks that the lock is
// taken, but not by whom, so any thread walks in while another holds it.
export class ReentrantLock {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    const { state, index } = this;
    // The count of acquires not yet released, by whoever made them.
    if (Atomics.load(state, index) > 0) {
      Atomics.add(state, index, 1);
      return;
    }
    while (Atomics.compareExchange(state, index, 0, 1) !== 0) Atomics.wait(state, index, 1);
  }

  release(): void {
    const { state, index } = this;
    if (Atomics.load(state, index) === 0) throw new Error('release() of a lock nobody holds');
    if (Atomics.sub(state, index, 1) === 1) Atomics.notify(state, index, 1);
  }
}
