import type { DriverRunEvidence } from '../grader-api';
import { fail, pass, type Verdict } from '../lib/check-tally';
import { describeValue, formatCount, formatMs, listSome, plural } from '../lib/format';
import type { DigestCase } from './digest-cases';

/** One digestAll call as the host saw it: the case, and the driver's evidence (calls, ticks, the operation). */
export interface DigestRun {
  digestCase: DigestCase;
  evidence: DriverRunEvidence;
}

/** A sentence when digestAll did not resolve, null when it did. */
function unsettled(run: DigestRun): string | null {
  const operation = run.evidence.operations[0];
  if (operation.outcome.kind === 'resolved') return null;
  if (operation.outcome.kind === 'rejected') return `digestAll rejected with "${operation.outcome.message}"`;
  return run.evidence.end === 'virtual-time-cap'
    ? `digestAll never settled: it was still pending after ${formatMs(run.evidence.endedAtMs)} of virtual time`
    : 'digestAll never settled: its promise was still pending with nothing left to happen (no timer, no digest to run)';
}

/** Resolves to digest(item) for every item, in input order. */
export function judgeResults(run: DigestRun): Verdict {
  const problem = unsettled(run);
  if (problem) return fail(problem);
  const value = (run.evidence.operations[0].outcome as { value: unknown }).value;
  const { items, digests } = run.digestCase;
  if (!Array.isArray(value)) return fail(`digestAll resolved with ${describeValue(value)}, not an array`);
  if (value.length !== items.length)
    return fail(
      `digestAll resolved with ${plural(value.length, 'result')} for ${plural(items.length, 'item')}`,
    );
  const wrong = digests.findIndex((digest, i) => value[i] !== digest);
  if (wrong === -1) return pass();
  const reversed = digests.every((digest, i) => value[digests.length - 1 - i] === digest);
  const elsewhere = value.indexOf(digests[wrong]);
  return fail(
    `result ${wrong} should be digest("${items[wrong]}") = ${describeValue(digests[wrong])} but is ${describeValue(value[wrong])}` +
      (reversed
        ? ': the results are in reverse order'
        : elsewhere >= 0
          ? ` (that digest is at position ${elsewhere})`
          : ''),
  );
}

/** digest is called exactly once per item, and with nothing else. */
export function judgeDigestOnce(run: DigestRun): Verdict {
  const callsPerItem = new Map<unknown, number>();
  for (const call of run.evidence.calls)
    callsPerItem.set(call.args[0], (callsPerItem.get(call.args[0]) ?? 0) + 1);
  const { items } = run.digestCase;
  const repeated = items.filter((item) => (callsPerItem.get(item) ?? 0) > 1);
  if (repeated.length > 0)
    return fail(
      `digest("${repeated[0]}") was called ${callsPerItem.get(repeated[0])} times` +
        (repeated.length > 1 ? `, and ${plural(repeated.length - 1, 'other item')} more than once too` : '') +
        ': digest is expensive, call it once per item and keep the result',
    );
  const missing = items.filter((item) => !callsPerItem.has(item));
  if (missing.length > 0)
    return fail(
      `digest was never called for ${listSome(missing.map((item) => `"${item}"`))}` +
        (unsettled(run) ? ' (digestAll never settled)' : ''),
    );
  const known = new Set(items);
  const strangers = [...callsPerItem.keys()].filter((arg) => !known.has(arg as string));
  if (strangers.length > 0)
    return fail(`digest was called with ${describeValue(strangers[0])}, which is not one of the items`);
  return pass();
}

/**
 * The event loop stays responsive: between two heartbeat ticks (and from the call to the first,
 * and from the last to the end) at most `maxBetween` digests ran.
 */
export function judgeResponsive(run: DigestRun, maxBetween: number): Verdict {
  const { evidence } = run;
  const total = evidence.calls.length;
  const ticks = evidence.marks.filter((mark) => mark.label === 'tick');
  const boundaries = [0, ...ticks.map((tick) => tick.callsBefore), total];
  let worst = { count: 0, from: 0 };
  for (let i = 1; i < boundaries.length; i++) {
    const count = boundaries[i] - boundaries[i - 1];
    if (count > worst.count) worst = { count, from: boundaries[i - 1] };
  }
  const settled = unsettled(run) ? '' : ` until digestAll resolved`;
  if (worst.count <= maxBetween)
    return pass(
      `at most ${plural(worst.count, 'digest')} between heartbeat ticks (${plural(ticks.length, 'tick')}${settled})`,
    );
  const first = evidence.calls[worst.from];
  const last = evidence.calls[worst.from + worst.count - 1];
  const span = `from ${formatMs(first.startedAtMs)} to ${formatMs(last.settledAtMs ?? last.startedAtMs)}`;
  const what =
    worst.count === total && worst.from === 0
      ? `all ${formatCount(total)} digests ran one after another (${span}) without the event loop running a single timer`
      : `${formatCount(worst.count)} digests (items ${worst.from} to ${worst.from + worst.count - 1}) ran between two heartbeat ticks (${span})`;
  return fail(
    `${what}; at most ${maxBetween} may run before a timer gets its turn. Yield to the event loop between digests with ` +
      '`await new Promise((resolve) => setImmediate(resolve))`: `await Promise.resolve()`, `await null` and queueMicrotask ' +
      'only let microtasks run, never a timer',
  );
}

/** Responsive, but not slowed down for nothing: at most twice the sequential time plus `slackMs`. */
export function judgeTotalTime(run: DigestRun, slackMs: number): Verdict {
  const problem = unsettled(run);
  if (problem) return fail(problem);
  const operation = run.evidence.operations[0];
  const tookMs = operation.settledAtMs! - operation.startedAtMs!;
  const { items, costMs } = run.digestCase;
  const sequentialMs = items.length * costMs;
  const limitMs = 2 * sequentialMs + slackMs;
  const about = `${plural(items.length, 'digest')} of ${formatMs(costMs)} each take ${formatMs(sequentialMs)} one after another`;
  if (tookMs <= limitMs) return pass(`took ${formatMs(tookMs)} of virtual time; ${about}`);
  return fail(
    `took ${formatMs(tookMs)} of virtual time; ${about}, so at most ${formatMs(limitMs)} is allowed: ` +
      'a yield should give the event loop one turn, not wait (setImmediate, or setTimeout with 0 ms)',
  );
}

/** `[]` for `[]`, without calling digest. */
export function judgeEmptyList(run: DigestRun): Verdict {
  const problem = unsettled(run);
  if (problem) return fail(`${problem} for an empty list; it should resolve to []`);
  const value = (run.evidence.operations[0].outcome as { value: unknown }).value;
  if (!Array.isArray(value) || value.length > 0)
    return fail(`digestAll([]) resolved with ${describeValue(value)}; it should resolve to []`);
  if (run.evidence.calls.length > 0)
    return fail(
      `digestAll([]) called digest ${plural(run.evidence.calls.length, 'time')}; there is nothing to digest`,
    );
  return pass();
}
