// expect-fail: waiters-sleep
// Mistake: sleeps with Atomics.wait(state, index, 0), "wait while it is free". The lock is held
// (1) when a thread waits, so every wait returns "not-equal" at once: the thread spins after all.
export class Mutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0) {
      Atomics.wait(this.state, this.index, 0);
    }
  }

  unlock(): void {
    Atomics.store(this.state, this.index, 0);
    Atomics.notify(this.state, this.index, 1);
  }
}
