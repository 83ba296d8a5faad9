import type { ThreadReport, ThreadRunEvidence, WaitSite } from '../grader-api';
import { formatMs, plural } from './format';

/**
 * Sentences about threads that did not end well, from host-recorded evidence only: where a
 * blocked thread waits and whether anyone could still wake it, what a thread threw. The caller
 * says where each thread was in its own terms ("in lock()"), from the grader's own memory.
 */

/** The cell's value changed after the thread went to sleep, and nobody notified it. */
export function isLostWakeup(site: WaitSite): boolean {
  return site.current !== null && site.current !== site.expected;
}

/** "state[0] == 2, now 0" / "state[0] == 1, still 1". */
export function describeWaitSite(site: WaitSite): string {
  const cell =
    site.buffer === null
      ? `memory the grader did not allocate (element ${site.index})`
      : `${site.buffer}[${site.index}]`;
  const value =
    site.current === null
      ? ''
      : site.current === site.expected
        ? `, still ${site.current}`
        : `, now ${site.current}`;
  const timeout = site.timeoutMs === null ? '' : ` (timeout ${formatMs(site.timeoutMs)})`;
  return `waits on ${cell} == ${site.expected}${value}${timeout}`;
}

/** "thread 3 still blocked in lock(): waits on state[0] == 2, now 0 — nobody woke it (lost wake-up)". */
export function describeStoppedThread(
  thread: Pick<ThreadReport, 'threadId' | 'waitingOn'>,
  where: string,
): string {
  const site = thread.waitingOn;
  if (site === null) return `thread ${thread.threadId} still running ${where}, not asleep in Atomics.wait`;
  const lost = isLostWakeup(site) ? ' — nobody woke it (lost wake-up)' : '';
  return `thread ${thread.threadId} still blocked ${where}: ${describeWaitSite(site)}${lost}`;
}

/** "thread 2 threw TypeError: x is not a function (line 12)"; null if no thread threw. */
export function describeFirstThrow(evidence: ThreadRunEvidence): string | null {
  for (const thread of evidence.threads) {
    if (thread.end.kind !== 'threw') continue;
    const line = thread.end.location ? ` (line ${thread.end.location.line})` : '';
    return `thread ${thread.threadId} threw ${thread.end.message}${line}`;
  }
  return null;
}

/**
 * Why a run did not complete, naming the threads still stopped: "deadlock after 812 ms with 4
 * threads on run 2 of 3: thread 3 still blocked in lock(): ..."; null for a completed run. `label`
 * says which run, `describeThread` says what one stopped thread was doing (describeStoppedThread).
 */
export function describeUnfinishedRun(
  evidence: ThreadRunEvidence,
  label: string,
  describeThread: (thread: ThreadReport) => string,
  maxThreads = 3,
): string | null {
  if (evidence.status === 'completed') return null;
  // Lost wake-ups first: they are the likeliest cause; then other sleepers; then threads still running.
  const rank = (thread: ThreadReport) =>
    thread.waitingOn === null ? 2 : isLostWakeup(thread.waitingOn) ? 0 : 1;
  const stopped = evidence.threads
    .filter((thread) => thread.end.kind === 'stopped')
    .sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  const described = stopped.slice(0, maxThreads).map(describeThread);
  if (stopped.length > maxThreads)
    described.push(`${plural(stopped.length - maxThreads, 'more thread')} stopped`);
  const after = `after ${formatMs(Math.round(evidence.wallMs))}`;
  const what = `${evidence.status === 'deadlock' ? 'deadlock' : 'not finished'} ${after} ${label}`;
  return described.length === 0 ? what : `${what}: ${described.join('; ')}`;
}
