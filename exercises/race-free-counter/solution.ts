// The lock word state[index]: 0 free, 1 held with nobody asleep, 2 held and someone may be asleep.
// Only a lock that may have sleepers (2) pays for Atomics.notify on unlock (Drepper, "Futexes Are Tricky").
const FREE = 0;
const HELD = 1;
const HELD_WITH_SLEEPERS = 2;
/** A short bounded spin before sleeping: a critical section this small is often over by then. */
const SPINS = 100;

export class Mutex {
  private readonly state: Int32Array;
  private readonly index: number;

  /** `state[index]` (default index 0) belongs to this lock and starts at 0. Every thread wraps the same memory. */
  constructor(state: Int32Array, index = 0) {
    this.state = state;
    this.index = index;
  }

  /** Blocks the calling thread until it holds the lock. Waiting threads sleep (Atomics.wait); they do not spin. */
  lock(): void {
    const { state, index } = this;
    let seen = Atomics.compareExchange(state, index, FREE, HELD);
    for (let spin = 0; seen !== FREE && spin < SPINS; spin++) {
      seen = Atomics.compareExchange(state, index, FREE, HELD);
    }
    if (seen === FREE) return;
    // Slow path: say that someone may be asleep, then sleep until a release. Whoever takes the lock
    // here takes it as HELD_WITH_SLEEPERS, because other threads may still be asleep behind it.
    seen = Atomics.exchange(state, index, HELD_WITH_SLEEPERS);
    while (seen !== FREE) {
      Atomics.wait(state, index, HELD_WITH_SLEEPERS);
      seen = Atomics.exchange(state, index, HELD_WITH_SLEEPERS);
    }
  }

  /** Releases the lock and wakes a waiting thread, if any. */
  unlock(): void {
    const { state, index } = this;
    if (Atomics.sub(state, index, 1) !== HELD) {
      Atomics.store(state, index, FREE);
      Atomics.notify(state, index, 1);
    }
  }
}
