/**
 * A mutual-exclusion lock whose whole state is one Int32 cell of shared memory, so every thread
 * that wraps the same Int32Array gets the same lock.
 */
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
    // TODO: this lets every thread in at once. Take the lock with Atomics.compareExchange, and
    // sleep with Atomics.wait while another thread holds it.
  }

  /** Releases the lock and wakes a waiting thread, if any. */
  unlock(): void {
    // TODO: give the lock back and wake a sleeping thread with Atomics.notify.
  }
}
