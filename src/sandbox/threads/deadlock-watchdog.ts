import { sameSnapshot, type GraderSharedBuffers } from './grader-shared-buffers';
import type { ThreadEvidenceSnapshot } from './thread-evidence-reader';

export const DEFAULT_WATCHDOG_POLL_MS = 50;
export const MIN_WATCHDOG_POLL_MS = 5;
/**
 * How long a state with a possible lost wake-up must stay still before it counts: a thread that
 * published its wait but was preempted before the native wait (which will return 'not-equal') looks
 * exactly like a lost wake-up until it gets a core again (docs/threads.md).
 */
export const LOST_WAKEUP_CONFIRM_MS = 500;

/** One thread as a poll sees it. */
export interface WatchedThread {
  /** Not yet returned or thrown (a live thread can still wake the others). */
  live: boolean;
  evidence: ThreadEvidenceSnapshot;
}

/** What a poll read when every live thread was blocked for good; compared with the next poll's. */
interface SettledReading {
  live: boolean[];
  sequences: number[];
  cells: (number | null)[];
  memory: Buffer[];
  /** Some live thread waits on a cell that no longer holds its expected value, or that the host cannot read. */
  uncertain: boolean;
}

/**
 * Decides, poll by poll, that a run is deadlocked: every live thread blocked in Atomics.wait with no
 * timeout, no wake-up on its way, and nothing moved between two consecutive polls.
 *
 * "No wake-up on its way" is what keeps a correct lock under load from being flagged: a thread that
 * another woke with Atomics.notify can sit in the kernel, not yet scheduled, still looking blocked,
 * for longer than a poll on a busy machine. Every wake-up is counted twice, by the notifier (what
 * notify returned) and by the woken thread (its wait returned 'ok'); while the sums differ, a woken
 * thread has yet to run. The equal evidence sequence numbers across two polls say no thread waited,
 * woke or notified in between, which makes the readings, taken one thread after the other, those of
 * a single instant.
 *
 * A thread publishes its wait just before the native call, so one preempted in between looks
 * blocked while it is about to get 'not-equal'. If its cell still holds the expected value it will
 * block for good once it runs, so the state is a deadlock all the same; if not, it cannot be told
 * from a lost wake-up, and the state must stay still for LOST_WAKEUP_CONFIRM_MS as well.
 */
export class DeadlockWatchdog {
  private previous: { reading: SettledReading; sinceMs: number } | undefined;

  constructor(private readonly buffers: GraderSharedBuffers) {}

  /** Feeds one poll; true when this poll and the previous one both saw the same deadlocked state. */
  poll(threads: WatchedThread[], nowMs: number = performance.now()): boolean {
    const reading = this.settledReading(threads);
    if (!reading) {
      this.previous = undefined;
      return false;
    }
    if (!this.previous || !same(this.previous.reading, reading)) {
      this.previous = { reading, sinceMs: nowMs };
      return false;
    }
    return !reading.uncertain || nowMs - this.previous.sinceMs >= LOST_WAKEUP_CONFIRM_MS;
  }

  private settledReading(threads: WatchedThread[]): SettledReading | undefined {
    if (!threads.some((thread) => thread.live)) return undefined;
    let wakeUpsGiven = 0;
    let wakeUpsTaken = 0;
    for (const { live, evidence } of threads) {
      if (!evidence.consistent) return undefined;
      if (live && (evidence.site === null || evidence.site.timeoutMs !== Infinity)) return undefined;
      wakeUpsGiven += evidence.wokeOthers;
      wakeUpsTaken += evidence.wokenByNotify;
    }
    if (wakeUpsGiven !== wakeUpsTaken) return undefined;
    let uncertain = false;
    const cells = threads.map(({ live, evidence }) => {
      if (!live || !evidence.site) return null;
      const current = this.buffers.currentValue(evidence.site);
      if (current !== evidence.site.expected) uncertain = true;
      return current;
    });
    return {
      live: threads.map((thread) => thread.live),
      sequences: threads.map((thread) => thread.evidence.sequence),
      cells,
      memory: this.buffers.snapshot(),
      uncertain,
    };
  }
}

function same(a: SettledReading, b: SettledReading): boolean {
  const equal = <T>(x: T[], y: T[]) => x.length === y.length && x.every((value, i) => value === y[i]);
  return (
    equal(a.live, b.live) &&
    equal(a.sequences, b.sequences) &&
    equal(a.cells, b.cells) &&
    sameSnapshot(a.memory, b.memory)
  );
}
