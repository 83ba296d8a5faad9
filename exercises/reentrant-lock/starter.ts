import { threadId } from 'node:worker_threads';

/**
 * A lock that the thread holding it may acquire again: each acquire() must be undone by one
 * release(), and the lock is free again only after the last one. Every thread builds its own
 * ReentrantLock over the same Int32Array, so everything the threads share lives in `state`.
 */
export class ReentrantLock {
  /** How many Int32 cells of shared memory one lock uses, starting at `index`. */
  static readonly INTS = 2;

  private readonly state: Int32Array;
  private readonly index: number;

  constructor(state: Int32Array, index = 0) {
    this.state = state;
    this.index = index;
  }

  /** Blocks until the lock is free or already held by the calling thread (threadId); calls nest. */
  acquire(): void {
    // TODO: if this thread (threadId) already holds the lock, count one more level and return.
    // Otherwise take it with Atomics.compareExchange, sleeping in Atomics.wait while another thread holds it.
    void threadId;
  }

  /** Undoes one acquire(); throws an Error if the calling thread does not hold the lock. */
  release(): void {
    // TODO: throw if this thread does not hold the lock; otherwise undo one level, and on the last
    // one free the lock and wake a sleeping thread with Atomics.notify.
  }
}
