import type { WaitSite } from '../grader-api';
import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, formatMs } from '../lib/format';
import { describeFirstThrow, describeUnfinishedRun } from '../lib/stopped-threads';
import type { HoldRun } from './mutex-runs';
import { describeMutexThread } from './thread-whereabouts';

/**
 * Thread 1 (index 0) holds the lock for `holdMs`, asleep on a grader cell; the other threads call
 * lock() once it is held. Judged from the host's evidence (CPU estimate, waits) and the grader's tally.
 */
export interface SleepLimits {
  /** A waiter may use at most this share of the hold time as CPU. */
  maxCpuShare: number;
  /** More returns from Atomics.wait than this is a loop through waits that return at once. */
  maxWaits: number;
}

/** signals[0]: thread 1 has taken the lock; signals[2]: the cell thread 1 sleeps on while it holds the lock. */
function describeHoldSignal(run: HoldRun): (site: WaitSite) => string | null {
  return (site) => {
    if (site.index === 0)
      return "waits for thread 1 to take the lock (thread 1's lock() on a free lock did not return)";
    if (site.index === 2)
      return `asleep while holding the lock, as the grader planned (${formatMs(run.holdMs)})`;
    return null;
  };
}

function waitersOf(run: HoldRun) {
  return run.evidence.threads.filter((thread) => thread.index > 0);
}

export function judgeWaitersSleep(run: HoldRun, limits: SleepLimits): Verdict {
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} ${run.label}`);
  const holder = run.tally[0];
  if (holder.place === 'not started' || holder.place === 'in lock()')
    return fail(
      "could not be checked: thread 1's lock() on a free lock did not return, so no thread had to wait",
    );
  const maxCpuMs = limits.maxCpuShare * run.holdMs;
  for (const waiter of waitersOf(run)) {
    const waited = run.tally[waiter.index].lockMs;
    const inLock = waited > 0 ? `spent ${formatMs(waited)} in lock()` : 'waited in lock()';
    if (waiter.waits > limits.maxWaits) {
      return fail(
        `thread ${waiter.threadId} returned from Atomics.wait ${formatCount(waiter.waits)} times while thread 1 held the lock for ${formatMs(run.holdMs)}: ` +
          `Atomics.wait returns at once ("not-equal") when the cell does not hold the value you pass, so that loop spins; ` +
          'pass the value the cell holds while the lock is taken',
      );
    }
    if (waiter.cpuMs > maxCpuMs) {
      return fail(
        `thread ${waiter.threadId} ${inLock} while thread 1 held the lock and used about ${formatMs(Math.round(waiter.cpuMs))} of CPU there ` +
          `(at most ${formatMs(Math.round(maxCpuMs))} allowed): a waiting thread must sleep in Atomics.wait, not spin`,
      );
    }
  }
  const mostCpu = Math.max(0, ...waitersOf(run).map((waiter) => waiter.cpuMs));
  return pass(
    `waiting threads used at most ${formatMs(Math.round(mostCpu))} of CPU each while thread 1 held the lock for ${formatMs(run.holdMs)}`,
  );
}

/** A waiter's lock() must not return before thread 1 has started to unlock. */
export function judgeExclusionWhileHeld(run: HoldRun): Verdict {
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} ${run.label}`);
  const early = waitersOf(run).find((waiter) => run.tally[waiter.index].overlaps > 0);
  if (early === undefined) return pass();
  return fail(
    `thread ${early.threadId}'s lock() returned while thread 1 still held the lock (thread 1 kept it for ${formatMs(run.holdMs)})`,
  );
}

export function judgeHoldFinished(run: HoldRun): Verdict {
  const thrown = describeFirstThrow(run.evidence);
  if (thrown) return fail(`${thrown} ${run.label}, so it did not finish`);
  const unfinished = describeUnfinishedRun(run.evidence, run.label, (thread) =>
    describeMutexThread(thread, run.tally, { countRounds: false, describeSignal: describeHoldSignal(run) }),
  );
  return unfinished ? fail(unfinished) : pass();
}
