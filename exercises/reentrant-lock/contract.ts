export declare class ReentrantLock {
  /** How many Int32 cells of shared memory one lock uses, starting at `index`. */
  static readonly INTS: number;
  constructor(state: Int32Array, index?: number);
  /** Blocks until the lock is free or already held by the calling thread (threadId); calls nest. */
  acquire(): void;
  /** Undoes one acquire(); throws an Error if the calling thread does not hold the lock. */
  release(): void;
}
