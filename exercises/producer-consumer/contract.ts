/** A bounded FIFO queue of int32 items that lives in shared memory, used from several threads at once. */
export declare class BoundedQueue {
  /** Bytes of shared memory a queue of `capacity` int32 items needs. */
  static byteLength(capacity: number): number;
  /** Every thread wraps the same zero-filled buffer with the same capacity. */
  constructor(buffer: SharedArrayBuffer, capacity: number);
  /** Appends item; blocks while the queue is full. Throws an Error if the queue is closed. */
  put(item: number): void;
  /** Removes the oldest item; blocks while the queue is empty and open; returns undefined once it is closed and empty. */
  get(): number | undefined;
  /** Closes the queue and wakes every blocked thread. Items already queued stay available to get(). */
  close(): void;
  /** How many items are queued right now. */
  size(): number;
}

/** Puts next() into the queue until stop[0] !== 0, then returns how many items it put. */
export declare function produce(queue: BoundedQueue, stop: Int32Array, next: () => number): number;

/** Takes items and hands each to store() until get() returns undefined; returns how many it took. */
export declare function consume(queue: BoundedQueue, store: (item: number) => void): number;
