// expect-fail: shutdown-in-time
// Mistake: close() sets the closed flag and wakes blocked producers, but never the consumers
// asleep in get() on the empty queue: they sleep forever and consume() never returns.
const LOCK = 0;
const NOT_EMPTY = 1;
const NOT_FULL = 2;
const HEAD = 3;
const COUNT = 4;
const CLOSED = 5;
const HEADER = 6;

export class BoundedQueue {
  private readonly cells: Int32Array;

  static byteLength(capacity: number): number {
    return (HEADER + capacity) * 4;
  }

  constructor(buffer: SharedArrayBuffer, private readonly capacity: number) {
    this.cells = new Int32Array(buffer);
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
      this.sleepUntilChanged(NOT_FULL);
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
    Atomics.add(cells, NOT_FULL, 1);
    this.unlock();
    Atomics.notify(cells, NOT_FULL);
  }

  size(): number {
    return Atomics.load(this.cells, COUNT);
  }

  private sleepUntilChanged(counter: number): void {
    const seen = Atomics.load(this.cells, counter);
    this.unlock();
    Atomics.wait(this.cells, counter, seen);
    this.lock();
  }

  private lock(): void {
    while (Atomics.compareExchange(this.cells, LOCK, 0, 1) !== 0) Atomics.wait(this.cells, LOCK, 1);
  }

  private unlock(): void {
    Atomics.store(this.cells, LOCK, 0);
    Atomics.notify(this.cells, LOCK, 1);
  }
}

export function produce(queue: BoundedQueue, stop: Int32Array, next: () => number): number {
  let count = 0;
  while (Atomics.load(stop, 0) === 0) {
    queue.put(next());
    count++;
  }
  return count;
}

export function consume(queue: BoundedQueue, store: (item: number) => void): number {
  let count = 0;
  for (let item = queue.get(); item !== undefined; item = queue.get()) {
    store(item);
    count++;
  }
  return count;
}
