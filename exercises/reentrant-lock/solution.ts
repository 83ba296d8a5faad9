import { threadId } from 'node:worker_threads';

// The lock's cells: state[index] is the holder's threadId, or 0 when the lock is free;
// state[index + 1] is how many times the holder has acquired it. Only the holder writes the count,
// and it writes it only while it holds the lock, so the count needs no lock of its own.
const OWNER = 0;
const DEPTH = 1;
const FREE = 0;
/** A short bounded spin before sleeping: a critical section this small is often over by then. */
const SPINS = 100;

export class ReentrantLock {
  /** How many Int32 cells of shared memory one lock uses, starting at `index`. */
  static readonly INTS = 2;

  private readonly state: Int32Array;
  private readonly owner: number;
  private readonly depth: number;

  constructor(state: Int32Array, index = 0) {
    this.state = state;
    this.owner = index + OWNER;
    this.depth = index + DEPTH;
  }

  /** Blocks until the lock is free or already held by the calling thread (threadId); calls nest. */
  acquire(): void {
    const { state, owner, depth } = this;
    if (Atomics.load(state, owner) === threadId) {
      Atomics.add(state, depth, 1);
      return;
    }
    for (let tries = 0; ; tries++) {
      const holder = Atomics.compareExchange(state, owner, FREE, threadId);
      if (holder === FREE) break;
      // Sleep while that thread holds it; a release (or another holder) changes the cell and wakes us.
      if (tries >= SPINS) Atomics.wait(state, owner, holder);
    }
    Atomics.store(state, depth, 1);
  }

  /** Undoes one acquire(); throws an Error if the calling thread does not hold the lock. */
  release(): void {
    const { state, owner, depth } = this;
    const holder = Atomics.load(state, owner);
    if (holder !== threadId)
      throw new Error(
        `thread ${threadId} cannot release a lock it does not hold (${holder === FREE ? 'nobody holds it' : `thread ${holder} does`})`,
      );
    if (Atomics.sub(state, depth, 1) === 1) {
      Atomics.store(state, owner, FREE);
      Atomics.notify(state, owner, 1);
    }
  }
}
