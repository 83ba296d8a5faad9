/**
 * The host's queue of future events on the virtual clock. Events fire in order of virtual time;
 * among events due at the same instant a tie-break picks the next one, within Node's guarantees:
 *
 * - Timers and immediates are `ordered`: they fire in the order they were scheduled. Node keeps
 *   timers of one delay in one FIFO list and immediates in one FIFO queue, so two
 *   `setTimeout(f, 10)` from the same turn always fire in order; a grader that shuffled them would
 *   fail code that Node runs correctly.
 * - Completions of I/O (service calls) are not ordered: two requests that finish at the same
 *   instant reach the event loop in whichever order the network and the kernel deliver them, and
 *   relative to a timer due then they land in whichever loop phase is current. These are the ties
 *   a seeded schedule shuffles, so that code which only works for one arrival order fails.
 *
 * So at each instant the candidates are every unordered event due then, plus the first ordered one.
 */
import { seededRandom } from '../grading/seeded-random';

/** Picks which of `count` candidates (in scheduling order) fires next: an integer in [0, count). */
export type TieBreak = (count: number) => number;

/** First scheduled, first fired: the order of the events as they were scheduled. */
export const fifoTieBreak: TieBreak = () => 0;

/** The schedule of one seed: the same seed picks the same candidates, run after run. */
export function seededTieBreak(scheduleSeed: string): TieBreak {
  const random = seededRandom(scheduleSeed, 'virtual-clock-ties');
  return (count) => Math.floor(random() * count);
}

export interface EventOptions {
  /** Whether Node fires it in scheduling order among the other ordered events (default true). */
  ordered?: boolean;
  /** Whether it keeps the run alive (default true); false is an unref'd timer: it fires, but never waits alone. */
  keepsAlive?: boolean;
}

interface QueuedEvent<T> {
  handle: number;
  dueAtMs: number;
  ordered: boolean;
  keepsAlive: boolean;
  cancelled: boolean;
  payload: T;
}

export class VirtualEventQueue<T> {
  private readonly heap: QueuedEvent<T>[] = [];
  private readonly live = new Map<number, QueuedEvent<T>>();
  private keepingAlive = 0;
  private scheduled = 0;

  constructor(private readonly tieBreak: TieBreak = fifoTieBreak) {}

  /** Returns a handle for `cancel`. */
  schedule(dueAtMs: number, payload: T, options: EventOptions = {}): number {
    const event: QueuedEvent<T> = {
      handle: ++this.scheduled,
      dueAtMs,
      ordered: options.ordered ?? true,
      keepsAlive: options.keepsAlive ?? true,
      cancelled: false,
      payload,
    };
    this.live.set(event.handle, event);
    if (event.keepsAlive) this.keepingAlive++;
    this.push(event);
    return event.handle;
  }

  cancel(handle: number): void {
    const event = this.live.get(handle);
    if (!event) return;
    event.cancelled = true;
    this.forget(event);
  }

  /** Whether any live event keeps the run alive; when none does, nothing the run waits for can happen. */
  hasEventsKeepingAlive(): boolean {
    return this.keepingAlive > 0;
  }

  /** Virtual time of the next live event, or undefined when nothing is left to fire. */
  peekDueAtMs(): number | undefined {
    this.dropCancelledHead();
    return this.heap[0]?.dueAtMs;
  }

  pop(): { dueAtMs: number; payload: T } | undefined {
    const next = this.tieBreak === fifoTieBreak ? this.takeHead() : this.takeTieWinner();
    if (!next) return undefined;
    this.forget(next);
    return { dueAtMs: next.dueAtMs, payload: next.payload };
  }

  /** Takes every event due at the earliest instant, lets the tie-break pick one, puts the others back. */
  private takeTieWinner(): QueuedEvent<T> | undefined {
    const first = this.takeHead();
    if (!first) return undefined;
    const tied = [first];
    while (this.peekDueAtMs() === first.dueAtMs) tied.push(this.takeHead()!);
    const firstOrdered = tied.find((event) => event.ordered);
    const candidates = tied.filter((event) => !event.ordered || event === firstOrdered);
    let winner = candidates[0];
    if (candidates.length > 1) {
      const pick = this.tieBreak(candidates.length);
      if (!(Number.isInteger(pick) && pick >= 0 && pick < candidates.length))
        throw new Error(`tie-break picked ${pick} of ${candidates.length} candidates`);
      winner = candidates[pick];
    }
    for (const event of tied) if (event !== winner) this.push(event);
    return winner;
  }

  private forget(event: QueuedEvent<T>): void {
    if (!this.live.delete(event.handle)) return;
    if (event.keepsAlive) this.keepingAlive--;
  }

  private takeHead(): QueuedEvent<T> | undefined {
    this.dropCancelledHead();
    const head = this.heap[0];
    if (head) this.removeHead();
    return head;
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeHead();
  }

  private removeHead(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private push(event: QueuedEvent<T>): void {
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
  }

  /** Earlier due time first, then scheduling order: the heap alone is FIFO among ties. */
  private before(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
    if (a.dueAtMs !== b.dueAtMs) return a.dueAtMs < b.dueAtMs;
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
