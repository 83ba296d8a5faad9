// expect-fail: waiters-sleep
// Mistake: a correct spin lock, but a waiting thread loops on compareExchange instead of sleeping,
// burning a whole core for as long as another thread holds the lock.
export class Mutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0) {
      // try again at once
    }
  }

  unlock(): void {
    Atomics.store(this.state, this.index, 0);
  }
}
