import type { ThreadReport } from '../grader-api';
import { fail, pass, type Verdict } from './check-tally';
import { formatCount, formatMs } from './format';

/** How much a thread that waits for another may do meanwhile. */
export interface SleepLimits {
  /** A waiter may use at most this share of the wait as CPU (the estimate counts time preempted, docs/threads.md). */
  maxCpuShare: number;
  /** More returns from Atomics.wait than this is a loop through waits that return at once. */
  maxWaits: number;
}

/** The words a message needs: where the threads waited, and for what. */
export interface WaitStory {
  /** "in acquire()". */
  waitingIn: string;
  /** "thread 1 held the lock for 200 ms". */
  during: string;
  /** How long the wait lasted, in ms. */
  waitedMs: number;
}

/**
 * Threads that had to wait while another thread kept them waiting for `waitedMs` sleep in
 * Atomics.wait: their CPU estimate stays far below the wait, and they do not loop through waits
 * that return at once. A spinning waiter's estimate is about the whole wait even when it is
 * preempted, so the margin is wide.
 */
export function judgeSleepingThreads(
  waiters: readonly ThreadReport[],
  story: WaitStory,
  limits: SleepLimits,
): Verdict {
  const maxCpuMs = limits.maxCpuShare * story.waitedMs;
  for (const waiter of waiters) {
    if (waiter.waits > limits.maxWaits)
      return fail(
        `thread ${waiter.threadId} returned from Atomics.wait ${formatCount(waiter.waits)} times ${story.waitingIn} while ${story.during}: ` +
          'Atomics.wait returns at once ("not-equal") when the cell does not hold the value you pass, so that loop spins; ' +
          'pass the value the cell holds while the thread has to wait',
      );
    if (waiter.cpuMs > maxCpuMs)
      return fail(
        `thread ${waiter.threadId} used about ${formatMs(Math.round(waiter.cpuMs))} of CPU ${story.waitingIn} while ${story.during} ` +
          `(at most ${formatMs(Math.round(maxCpuMs))} allowed): a waiting thread must sleep in Atomics.wait, not spin`,
      );
  }
  const most = Math.max(0, ...waiters.map((waiter) => waiter.cpuMs));
  return pass(`waiting threads used at most ${formatMs(Math.round(most))} of CPU each while ${story.during}`);
}
