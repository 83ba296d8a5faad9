// expect-fail: exclusion, increment-decrement, large-random
// Mistake: lock() and unlock() do nothing, so every thread is inside the critical section at once.
export class Mutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {}

  unlock(): void {}
}
