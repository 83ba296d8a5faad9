/**
 * A bounded FIFO queue of int32 items that lives in shared memory and is used by several threads
 * at once. Every piece of state the threads share (items, head, count, closed flag, ...) must live
 * in `buffer`: each thread builds its own BoundedQueue object over the same memory.
 */
export class BoundedQueue {
  private readonly cells: Int32Array;

  /** Bytes of shared memory a queue of `capacity` int32 items needs. */
  static byteLength(capacity: number): number {
    // TODO: room for the items, plus the cells your queue needs to keep its state.
    return capacity * Int32Array.BYTES_PER_ELEMENT;
  }

  /** Every thread wraps the same zero-filled buffer with the same capacity. */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly capacity: number,
  ) {
    this.cells = new Int32Array(buffer);
  }

  /** Appends item; blocks while the queue is full. Throws an Error if the queue is closed. */
  put(item: number): void {
    // TODO: wait (Atomics.wait, no spinning) while the queue is full; throw once it is closed.
    void item;
    throw new Error('put() is not written yet');
  }

  /** Removes the oldest item; blocks while the queue is empty and open; returns undefined once it is closed and empty. */
  get(): number | undefined {
    // TODO: wait while the queue is empty and open; undefined only once it is closed AND empty.
    throw new Error('get() is not written yet');
  }

  /** Closes the queue and wakes every blocked thread. Items already queued stay available to get(). */
  close(): void {
    // TODO: mark the queue closed, then wake every thread blocked in put() or get().
  }

  /** How many items are queued right now. */
  size(): number {
    return 0;
  }
}

/** Puts next() into the queue until stop[0] !== 0, then returns how many items it put. */
export function produce(queue: BoundedQueue, stop: Int32Array, next: () => number): number {
  let count = 0;
  while (Atomics.load(stop, 0) === 0) {
    queue.put(next());
    count++;
  }
  return count;
}

/** Takes items and hands each to store() until get() returns undefined; returns how many it took. */
export function consume(queue: BoundedQueue, store: (item: number) => void): number {
  let count = 0;
  for (let item = queue.get(); item !== undefined; item = queue.get()) {
    store(item);
    count++;
  }
  return count;
}
