import type { ThreadReport, WaitSite } from '../grader-api';
import { ordinal, plural } from '../lib/format';
import { describeStoppedThread, describeWaitSite } from '../lib/stopped-threads';
import type { LockThreadLedger } from './lock-memory';
import type { LockRun } from './lock-runs';

/**
 * What a thread was doing, in the student's terms: where it was according to the grader's ledger
 * (in its 2nd nested acquire(), holding the lock 2 deep, ...), and what it waited for. A wait on one
 * of the grader's own signal cells is said in words (the cell numbers mean nothing to a student).
 */
export function whereabouts(row: Pick<LockThreadLedger, 'place' | 'depth'>): string {
  switch (row.place) {
    case 'acquiring':
      return row.depth === 0
        ? 'in acquire()'
        : `in its ${ordinal(row.depth + 1)} acquire() in a row (it already held the lock ${plural(row.depth, 'time')})`;
    case 'holding':
      return `while holding the lock ${row.depth} deep`;
    case 'releasing':
      return row.depth === 0
        ? 'in release(), holding nothing'
        : `in release() (holding the lock ${row.depth} deep)`;
    case 'between':
      return 'outside acquire() and release(), holding nothing';
    case 'notStarted':
      return 'before its first acquire()';
    case 'finished':
      return 'after its last release()';
  }
}

/** The grader's signal cells of each kind of run, in words. */
function describeSignal(run: LockRun, site: WaitSite): string | null {
  const plan = run.plan;
  switch (plan.kind) {
    case 'nesting':
      return site.index === 0
        ? 'waits for thread 1 to acquire and release the lock (it never finished)'
        : 'waits for thread 2 to take the lock once thread 1 had released it';
    case 'hold':
      return site.index === 0 ? `waits for thread 1 to acquire the lock ${plan.depth} times in a row` : null;
    case 'release-not-held':
      return site.index === 0
        ? 'waits for thread 1 to acquire the lock twice'
        : site.index === 1
          ? 'waits for thread 2 to call release()'
          : null;
    case 'two-locks': {
      const holder = Math.floor(site.index / 2) + 1;
      return site.index % 2 === 0
        ? `waits for thread ${holder} to acquire its own lock`
        : `waits for thread ${3 - holder} to take and release its own lock`;
    }
    default:
      return null;
  }
}

/** "thread 2 still blocked in acquire(): waits on state[3] == 1, now 0 — nobody woke it (lost wake-up)". */
export function describeLockThread(run: LockRun, thread: ThreadReport): string {
  const row = run.ledger.threads[thread.index];
  const where = row ? whereabouts(row) : '';
  const site = thread.waitingOn;
  if (site?.buffer === 'signals')
    return `thread ${thread.threadId} still blocked ${where}: ${describeSignal(run, site) ?? describeWaitSite(site)}`;
  return describeStoppedThread(thread, where);
}

/** "thread 2 threw Error: not held (line 9) in release() (holding the lock 2 deep)"; null if no thread threw. */
export function describeLockThrow(run: LockRun): string | null {
  for (const thread of run.evidence.threads) {
    if (thread.end.kind !== 'threw') continue;
    const line = thread.end.location ? ` (line ${thread.end.location.line})` : '';
    const row = run.ledger.threads[thread.index];
    const where = row && row.place !== 'between' && row.place !== 'notStarted' ? ` ${whereabouts(row)}` : '';
    return `thread ${thread.threadId} threw ${thread.end.message}${line}${where}`;
  }
  return null;
}
