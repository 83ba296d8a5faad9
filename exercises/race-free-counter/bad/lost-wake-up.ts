// expect-fail: finishes-in-time
// Mistake: a three-state lock (0 free, 1 held, 2 held with sleepers) whose woken thread takes the
// lock as 1 although other threads may still be asleep; its unlock() then sees 1 and skips the
// notify, and those sleepers are never woken (a lost wake-up).
export class Mutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}

  lock(): void {
    const { state, index } = this;
    let seen = Atomics.compareExchange(state, index, 0, 1);
    if (seen === 0) return;
    do {
      if (seen === 2 || Atomics.compareExchange(state, index, 1, 2) !== 0) Atomics.wait(state, index, 2);
      seen = Atomics.compareExchange(state, index, 0, 1); // should take it as 2
    } while (seen !== 0);
  }

  unlock(): void {
    const { state, index } = this;
    if (Atomics.sub(state, index, 1) !== 1) {
      Atomics.store(state, index, 0);
      Atomics.notify(state, index, 1);
    }
  }
}
