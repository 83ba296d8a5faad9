// expect-fail: exclusion
// Mistake: checks that the lock is free, then takes it with a separate store. Two threads can both
// see 0 before either stores 1, and both go in: the check and the set must be one compareExchange.
export class Mutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    for (;;) {
      if (Atomics.load(this.state, this.index) === 0) {
        Atomics.store(this.state, this.index, 1);
        return;
      }
      Atomics.wait(this.state, this.index, 1);
    }
  }

  unlock(): void {
    Atomics.store(this.state, this.index, 0);
    Atomics.notify(this.state, this.index, 1);
  }
}
