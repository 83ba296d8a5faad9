// expect-fail: finishes-in-time
// Mistake: unlock() frees the lock but never calls Atomics.notify, so a thread asleep in lock()
// sleeps for ever.
export class Mutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0) {
      Atomics.wait(this.state, this.index, 1);
    }
  }

  unlock(): void {
    Atomics.store(this.state, this.index, 0);
  }
}
