// expect-fail: capacity, exactly-once
// Mistake: put() never waits for room: a full queue keeps accepting items, which overwrite the
// oldest ones still queued in the ring buffer.
const LOCK = 0; // 0 free, 1 held, 2 held with sleepers
const NOT_EMPTY = 1; // bumped by put() and close(): what a waiting get() sleeps on
const NOT_FULL = 2; // bumped by get() and close(): what a waiting put() sleeps on
const HEAD = 3; // slot of the oldest item
const COUNT = 4; // items queued
const CLOSED = 5;
const HEADER = 6;

export class BoundedQueue {
  private readonly cells: Int32Array;

  static byteLength(capacity: number): number {
    return (HEADER + capacity) * Int32Array.BYTES_PER_ELEMENT;
  }

  constructor(
    buffer: SharedArrayBuffer,
    private readonly capacity: number,
  ) {
    this.cells = new Int32Array(buffer, 0, HEADER + capacity);
  }

  put(item: number): void {
    const cells = this.cells;
    this.lock();
    if (cells[CLOSED] !== 0) {
      this.unlock();
      throw new Error('put() on a closed queue');
    }
    cells[HEADER + ((cells[HEAD] + cells[COUNT]) % this.capacity)] = item;
    Atomics.store(cells, COUNT, cells[COUNT] + 1);
    Atomics.add(cells, NOT_EMPTY, 1);
    this.unlock();
    Atomics.notify(cells, NOT_EMPTY, 1);
  }

  get(): number | undefined {
    const cells = this.cells;
    this.lock();
    for (;;) {
      if (cells[COUNT] > 0) break;
      if (cells[CLOSED] !== 0) {
        this.unlock();
        return undefined;
      }
      this.sleepUntilChanged(NOT_EMPTY);
    }
    const item = cells[HEADER + cells[HEAD]];
    cells[HEAD] = (cells[HEAD] + 1) % this.capacity;
    Atomics.store(cells, COUNT, cells[COUNT] - 1);
    Atomics.add(cells, NOT_FULL, 1);
    this.unlock();
    Atomics.notify(cells, NOT_FULL, 1);
    return item;
  }

  close(): void {
    const cells = this.cells;
    this.lock();
    cells[CLOSED] = 1;
    // Bumping both counters makes a thread that read them before the close and has not slept yet
    // return from its Atomics.wait at once: no wake-up is lost between unlock and wait.
    Atomics.add(cells, NOT_EMPTY, 1);
    Atomics.add(cells, NOT_FULL, 1);
    this.unlock();
    Atomics.notify(cells, NOT_EMPTY);
    Atomics.notify(cells, NOT_FULL);
  }

  size(): number {
    return Atomics.load(this.cells, COUNT);
  }

  /**
   * Called with the lock held; returns with it held again. The counter is read under the lock, so
   * any change after the unlock makes Atomics.wait return immediately instead of sleeping.
   */
  private sleepUntilChanged(counter: number): void {
    const seen = Atomics.load(this.cells, counter);
    this.unlock();
    Atomics.wait(this.cells, counter, seen);
    this.lock();
  }

  private lock(): void {
    const cells = this.cells;
    let state = Atomics.compareExchange(cells, LOCK, 0, 1);
    if (state === 0) return;
    if (state !== 2) state = Atomics.exchange(cells, LOCK, 2);
    while (state !== 0) {
      Atomics.wait(cells, LOCK, 2);
      state = Atomics.exchange(cells, LOCK, 2);
    }
  }

  private unlock(): void {
    if (Atomics.sub(this.cells, LOCK, 1) !== 1) {
      Atomics.store(this.cells, LOCK, 0);
      Atomics.notify(this.cells, LOCK, 1);
    }
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
