// expect-fail: independent-indexes
// Mistake: a correct sleeping lock, but always on state[0]: every Mutex over the same array is the
// same lock, whatever `index` it was given.
export class Mutex {
  constructor(private readonly state: Int32Array) {}

  lock(): void {
    while (Atomics.compareExchange(this.state, 0, 0, 1) !== 0) {
      Atomics.wait(this.state, 0, 1);
    }
  }

  unlock(): void {
    Atomics.store(this.state, 0, 0);
    Atomics.notify(this.state, 0, 1);
  }
}
