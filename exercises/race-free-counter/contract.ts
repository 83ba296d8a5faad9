export declare class Mutex {
  /** `state[index]` (default index 0) belongs to this lock and starts at 0. Every thread wraps the same memory. */
  constructor(state: Int32Array, index?: number);
  /** Blocks the calling thread until it holds the lock. Waiting threads sleep (Atomics.wait); they do not spin. */
  lock(): void;
  /** Releases the lock and wakes a waiting thread, if any. */
  unlock(): void;
}
