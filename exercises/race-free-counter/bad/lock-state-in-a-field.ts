// expect-fail: exclusion, increment-decrement, large-random
// Mistake: the lock is a boolean field of the object. Every thread builds its own Mutex, so each
// one has its own field and never sees the others hold the lock: shared state must live in `state`.
export class Mutex {
  private locked = false;

  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    while (this.locked) Atomics.wait(this.state, this.index, 0, 1);
    this.locked = true;
  }

  unlock(): void {
    this.locked = false;
  }
}
