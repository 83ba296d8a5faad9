/**
 * The host's queue of future events on the virtual clock. Events fire in order of virtual time;
 * events due at the same time are ordered by a tie-break key fixed when they are scheduled.
 */

/** Gives each event, as it is scheduled, the key that orders it among events due at the same time. */
export type TieBreak = (scheduleOrder: number) => number;

/** Default: first scheduled, first fired (what Node does for timers due together). */
export const fifoTieBreak: TieBreak = (scheduleOrder) => scheduleOrder;

interface QueuedEvent<T> {
  handle: number;
  dueAtMs: number;
  tieKey: number;
  payload: T;
}

export class VirtualEventQueue<T> {
  private readonly heap: QueuedEvent<T>[] = [];
  private readonly cancelled = new Set<number>();
  private scheduled = 0;

  constructor(private readonly tieBreak: TieBreak = fifoTieBreak) {}

  /** Returns a handle for `cancel`. */
  schedule(dueAtMs: number, payload: T): number {
    const handle = ++this.scheduled;
    this.heap.push({ handle, dueAtMs, tieKey: this.tieBreak(handle), payload });
    this.siftUp(this.heap.length - 1);
    return handle;
  }

  cancel(handle: number): void {
    this.cancelled.add(handle);
  }

  /** Virtual time of the next live event, or undefined when nothing is left to fire. */
  peekDueAtMs(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.dueAtMs;
  }

  pop(): { dueAtMs: number; payload: T } | undefined {
    this.dropCancelledHead();
    const head = this.heap[0];
    if (!head) return undefined;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    return { dueAtMs: head.dueAtMs, payload: head.payload };
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.cancelled.has(this.heap[0].handle)) {
      this.cancelled.delete(this.heap[0].handle);
      const last = this.heap.pop()!;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.siftDown(0);
      }
    }
  }

  private before(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
    if (a.dueAtMs !== b.dueAtMs) return a.dueAtMs < b.dueAtMs;
    if (a.tieKey !== b.tieKey) return a.tieKey < b.tieKey;
    return a.handle < b.handle;
  }

  private siftUp(index: number): void {
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(this.heap[index], this.heap[parent])) return;
      [this.heap[index], this.heap[parent]] = [this.heap[parent], this.heap[index]];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.heap.length && this.before(this.heap[left], this.heap[smallest])) smallest = left;
      if (right < this.heap.length && this.before(this.heap[right], this.heap[smallest])) smallest = right;
      if (smallest === index) return;
      [this.heap[index], this.heap[smallest]] = [this.heap[smallest], this.heap[index]];
      index = smallest;
    }
  }
}
