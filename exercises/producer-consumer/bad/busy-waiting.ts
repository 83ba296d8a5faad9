// expect-fail: sleep-not-spin
// Mistake: put() and get() wait for room or for an item by polling the count in a loop instead
// of sleeping in Atomics.wait: a waiting thread burns a whole core doing nothing.
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
    for (;;) {
      if (cells[CLOSED] !== 0) {
        this.unlock();
        throw new Error('put() on a closed queue');
      }
      if (cells[COUNT] < this.capacity) break;
      this.unlock();
      while (Atomics.load(cells, COUNT) >= this.capacity && Atomics.load(cells, CLOSED) === 0) {
        // poll until there is room
      }
      this.lock();
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
      this.unlock();
      while (Atomics.load(cells, COUNT) === 0 && Atomics.load(cells, CLOSED) === 0) {
        // poll until an item arrives
      }
      this.lock();
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
