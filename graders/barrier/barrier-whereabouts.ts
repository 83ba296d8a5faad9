import type { ThreadReport } from '../grader-api';
import { formatCount } from '../lib/format';
import { describeStoppedThread, describeWaitSite } from '../lib/stopped-threads';
import type { BarrierThreadLedger } from './barrier-memory';
import type { BarrierRun } from './barrier-runs';

/** Where a thread was according to the grader's ledger, in the student's terms (rounds counted from 1). */
export function whereabouts(row: BarrierThreadLedger): string {
  switch (row.place) {
    case 'waiting':
      return `in wait() of round ${formatCount(row.rounds + 1)}`;
    case 'between':
      return row.rounds === 0
        ? 'before its first wait()'
        : `between rounds (${formatCount(row.rounds)} done)`;
    case 'notStarted':
      return 'before its first wait()';
    case 'finished':
      return 'after its last wait()';
  }
}

/** "thread 2 still blocked in wait() of round 37: waits on state[1] == 36, now 37 — nobody woke it (lost wake-up)". */
export function describeBarrierThread(run: BarrierRun, thread: ThreadReport): string {
  const row = run.ledger.threads[thread.index];
  const where = row ? whereabouts(row) : '';
  const site = thread.waitingOn;
  if (site?.buffer === 'ledger')
    return `thread ${thread.threadId} ${where}: pausing as the grader planned (${describeWaitSite(site)})`;
  return describeStoppedThread(thread, where);
}

/** "thread 2 threw TypeError: ... (line 9) in wait() of round 3"; null if no thread threw. */
export function describeBarrierThrow(run: BarrierRun): string | null {
  for (const thread of run.evidence.threads) {
    if (thread.end.kind !== 'threw') continue;
    const line = thread.end.location ? ` (line ${thread.end.location.line})` : '';
    const row = run.ledger.threads[thread.index];
    const where = row?.place === 'waiting' ? ` ${whereabouts(row)}` : '';
    return `thread ${thread.threadId} threw ${thread.end.message}${line}${where} ${run.plan.label}`;
  }
  return null;
}
