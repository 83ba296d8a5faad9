// expect-fail: nested-acquisition, finishes-in-time
// Mistake: a plain (non-reentrant) lock. A thread that holds it and calls acquire() again waits for
// itself for ever (self-deadlock).
export class ReentrantLock {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  acquire(): void {
    while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0) {
      Atomics.wait(this.state, this.index, 1);
    }
  }

  release(): void {
    Atomics.store(this.state, this.index, 0);
    Atomics.notify(this.state, this.index, 1);
  }
}
