// expect-fail: exactly-once
// Mistake: head and tail are shared counters, but each thread reads them, works, and writes them
// back with no lock or compare-and-swap: two producers fill the same slot (an item is lost), two
// consumers take the same slot (an item is consumed twice).
const HEAD = 0; // items taken so far
const TAIL = 1; // items put so far
const CLOSED = 2;
const HEADER = 3;

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
    for (;;) {
      if (Atomics.load(cells, CLOSED) !== 0) throw new Error('queue closed');
      const head = Atomics.load(cells, HEAD);
      if (Atomics.load(cells, TAIL) - head < this.capacity) break;
      Atomics.wait(cells, HEAD, head, 10);
    }
    const tail = Atomics.load(cells, TAIL);
    cells[HEADER + (tail % this.capacity)] = item;
    Atomics.store(cells, TAIL, tail + 1);
    Atomics.notify(cells, TAIL);
  }

  get(): number | undefined {
    const cells = this.cells;
    for (;;) {
      const tail = Atomics.load(cells, TAIL);
      if (Atomics.load(cells, HEAD) < tail) break;
      if (Atomics.load(cells, CLOSED) !== 0) return undefined;
      Atomics.wait(cells, TAIL, tail, 10);
    }
    const head = Atomics.load(cells, HEAD);
    const item = cells[HEADER + (head % this.capacity)];
    Atomics.store(cells, HEAD, head + 1);
    Atomics.notify(cells, HEAD);
    return item;
  }

  close(): void {
    Atomics.store(this.cells, CLOSED, 1);
    Atomics.notify(this.cells, HEAD);
    Atomics.notify(this.cells, TAIL);
  }

  size(): number {
    return Atomics.load(this.cells, TAIL) - Atomics.load(this.cells, HEAD);
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
