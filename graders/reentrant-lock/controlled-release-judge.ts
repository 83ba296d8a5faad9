import type { ControlledRunEvidence, ScheduleStep } from '../grader-api';
import { fail, type Verdict } from '../lib/check-tally';
import { describeRun, describeTrace } from '../lib/schedule-trace';
import { CONTROLLED_POINTS, type ControlledLedger, type ControlledThreadLedger } from './controlled-memory';
import { LOCK_WORDING } from './controlled-wording';

/** Steps that may change a cell: a write, an Atomics operation that writes, a method of the view (fill, set, ...). */
const MAY_CHANGE: ReadonlySet<ScheduleStep['action']> = new Set([
  'write',
  'store',
  'add',
  'sub',
  'and',
  'or',
  'xor',
  'exchange',
  'compareExchange',
  'call',
]);

/**
 * The steps of one thread's release() while it held nothing: from its call to its end, both
 * included; null when the trace no longer holds the call (it keeps the last 256 steps).
 */
export function unheldReleaseSteps(trace: ScheduleStep[], thread: number): ScheduleStep[] | null {
  const P = CONTROLLED_POINTS;
  const isPoint = (step: ScheduleStep, codes: number[]) =>
    step.thread === thread && step.action === 'point' && codes.includes(step.index);
  const start = trace.findIndex((step) => isPoint(step, [P.callsUnheldRelease]));
  if (start < 0) return null;
  const end = trace.findIndex((step, at) => at > start && isPoint(step, [P.unheldThrew, P.unheldReturned]));
  return end < 0 ? null : trace.slice(start, end + 1);
}

/**
 * The first cell of the lock this release() changed, when that is proven: it differs from before
 * the call to after it, and no other thread took a step that may have changed it in between (a
 * waiter counting itself in, say). Unproven changes are not reported: they may be another thread's.
 */
export function provenChange(
  row: ControlledThreadLedger,
  steps: ScheduleStep[] | null,
  thread: number,
  firstCell: number,
): string | null {
  if (steps === null) return null;
  for (let cell = 0; cell < row.before.length; cell++) {
    if (row.before[cell] === row.after[cell]) continue;
    const index = firstCell + cell;
    const byOthers = steps.some(
      (step) =>
        step.thread !== thread &&
        step.buffer === 'state' &&
        MAY_CHANGE.has(step.action) &&
        (step.index === index || step.action === 'call'),
    );
    if (!byOthers) return `state[${index}] from ${row.before[cell]} to ${row.after[cell]}`;
  }
  return null;
}

/**
 * A controlled run where each thread calls release() once while holding nothing: that call must
 * throw and change none of the lock's cells. Judged whatever the run's end, from the ledger and
 * the trace: a release() that returned is a fact, a change only when proven (provenChange). The
 * earliest such call in the trace is named first. Anything else the run shows (two threads inside,
 * a deadlock) is the other checks' business: the runs without these calls judge it.
 */
export function judgeUnheldReleases(
  run: ControlledRunEvidence,
  ledger: ControlledLedger,
  firstCell: number,
): Verdict | undefined {
  const calls = ledger.threads
    .map((row, thread) => ({ row, thread, steps: unheldReleaseSteps(run.trace, thread) }))
    .filter((call) => call.row.unheldRelease !== 'not-tried')
    .sort((a, b) => (a.steps?.[0].step ?? Infinity) - (b.steps?.[0].step ?? Infinity));
  for (const { row, thread, steps } of calls) {
    const change = provenChange(row, steps, thread, firstCell);
    const holder = row.unheldHolder
      ? `thread ${row.unheldHolder.thread + 1} held it ${row.unheldHolder.depth} deep`
      : 'nobody held it';
    const who = `release() by thread ${thread + 1}, which did not hold the lock (${holder}),`;
    // Its own steps: what that release() did (other threads' steps between them are left out).
    const own = steps?.filter((step) => step.thread === thread);
    const shown = own ? `: ${describeTrace(own, 12, LOCK_WORDING)}` : '';
    const on = `on ${describeRun(run)}${shown}`;
    if (row.unheldRelease === 'returned')
      return fail(
        `${who} returned instead of throwing an Error${change ? ` (and changed ${change})` : ''}, ${on}`,
      );
    if (change)
      return fail(
        `${who} threw as it should, but changed ${change} first: a release() that throws must change nothing, ${on}`,
      );
  }
  return undefined;
}
