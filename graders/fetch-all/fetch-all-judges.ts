import type { AsyncRunEvidence, ServiceCallRecord } from '../grader-api';
import { fail, pass, type Verdict } from '../lib/check-tally';
import { describeValue, formatMs, formatSpeedup } from '../lib/format';
import { callsInFlightAt } from '../lib/in-flight';
import { describeFetchCountProblem, urlOf } from '../lib/url-calls';
import { describeUnsettled, sequentialSumMs, slowestMs } from '../lib/virtual-time';
import type { FetchAllCase } from './fetch-all-cases';

/** Each judge reads only host-recorded evidence and the case the grader planned. */

type ExpectedResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

function expectedResults(fetchCase: FetchAllCase): ExpectedResult[] {
  return fetchCase.plans.map((plan) =>
    plan.outcome.ok
      ? { url: plan.url, ok: true, body: plan.outcome.value as string }
      : { url: plan.url, ok: false, error: plan.outcome.error },
  );
}

/** The resolved array, or a sentence saying why there is none. */
function resolvedResults(evidence: AsyncRunEvidence): unknown[] | string {
  const { result } = evidence;
  if (result.kind === 'pending') return describeUnsettled(evidence, 'fetchAll')!;
  if (result.kind === 'rejected') {
    return (
      `fetchAll rejected with "${result.message}" at ${formatMs(evidence.settledAtMs ?? 0)}: ` +
      'a failed fetch must become { url, ok: false, error } in its place and must not stop the others'
    );
  }
  if (!Array.isArray(result.value))
    return `fetchAll resolved with ${describeValue(result.value)}, not an array of results`;
  return result.value;
}

function urlField(entry: unknown): unknown {
  return typeof entry === 'object' && entry !== null ? (entry as { url?: unknown }).url : undefined;
}

function describeMismatch(expected: ExpectedResult, actual: unknown): string | null {
  const entry = (actual ?? {}) as Record<string, unknown>;
  if (expected.ok) {
    if (entry.ok === true && entry.body === expected.body) return null;
    return `the result for ${expected.url} should be { url, ok: true, body: ${describeValue(expected.body)} } but is ${describeValue(actual)}`;
  }
  if (entry.ok === false && entry.error === expected.error) return null;
  const hint =
    entry.ok !== false
      ? ''
      : typeof entry.error !== 'string'
        ? ' (error must be the string err.message)'
        : entry.error === `Error: ${expected.error}`
          ? ' (use err.message: String(err) puts "Error: " in front)'
          : '';
  return (
    `the fetch of ${expected.url} failed with "${expected.error}", so its result should be ` +
    `{ url, ok: false, error: ${describeValue(expected.error)} } but is ${describeValue(actual)}${hint}`
  );
}

/** Every url has the right result (in any position): a body, or the failure's message. */
export function judgeResults(fetchCase: FetchAllCase, evidence: AsyncRunEvidence): Verdict {
  const results = resolvedResults(evidence);
  if (typeof results === 'string') return fail(results);
  if (results.length !== fetchCase.urls.length) {
    return fail(
      `fetchAll resolved with ${results.length} results for ${fetchCase.urls.length} urls; there must be one result per url`,
    );
  }
  for (const expected of expectedResults(fetchCase)) {
    const actual = results.find((entry) => urlField(entry) === expected.url);
    if (actual === undefined) return fail(`there is no result with url ${expected.url}`);
    const mismatch = describeMismatch(expected, actual);
    if (mismatch) return fail(mismatch);
  }
  return pass();
}

/** When each url's (first) fetch settled, earliest first: the order completion-order code produces. */
function completionOrderOfRun(calls: readonly ServiceCallRecord[]): string[] {
  const settled = calls.filter((call) => call.settledAtMs !== null);
  const ordered = [...settled].sort((a, b) => a.settledAtMs! - b.settledAtMs! || a.index - b.index);
  return [...new Set(ordered.map(urlOf))];
}

/** Result i is for urls[i]. */
export function judgeOrder(fetchCase: FetchAllCase, evidence: AsyncRunEvidence): Verdict {
  const results = resolvedResults(evidence);
  if (typeof results === 'string') return fail(`the order of the results cannot be checked: ${results}`);
  const resultUrls = results.map(urlField);
  const wrong = fetchCase.urls.findIndex((url, i) => resultUrls[i] !== url);
  if (wrong === -1) return pass();
  const completion = completionOrderOfRun(evidence.calls);
  const inCompletionOrder = resultUrls.length > 1 && resultUrls.every((url, i) => url === completion[i]);
  const what = `result ${wrong} should be for ${fetchCase.urls[wrong]} but is ${
    resultUrls[wrong] === undefined ? describeValue(results[wrong]) : `for ${String(resultUrls[wrong])}`
  }`;
  return fail(
    inCompletionOrder
      ? `results are in completion order: ${what}`
      : `results are not in input order: ${what}`,
  );
}

export function judgeFetchedOnce(fetchCase: FetchAllCase, evidence: AsyncRunEvidence): Verdict {
  const problem = describeFetchCountProblem(fetchCase.urls, evidence.calls);
  return problem ? fail(`each url must be fetched exactly once: ${problem}`) : pass();
}

/** Full concurrency: done exactly when the slowest fetch is, however the fetches were interleaved. */
export function judgeConcurrency(fetchCase: FetchAllCase, evidence: AsyncRunEvidence): Verdict {
  const latencies = fetchCase.plans.map((plan) => plan.latencyMs);
  const slowest = slowestMs(latencies);
  const slowestUrl = fetchCase.plans[latencies.indexOf(slowest)].url;
  const sequential = sequentialSumMs(latencies);
  const took = evidence.settledAtMs;
  if (took === null) return fail(describeUnsettled(evidence, 'fetchAll')!);
  if (took === slowest) {
    return pass(
      `finished at ${formatMs(took)}, when the slowest fetch did: ${formatSpeedup(sequential, took)} faster than fetching one after another (${formatMs(sequential)})`,
    );
  }
  if (took < slowest) {
    return fail(
      `fetchAll settled at ${formatMs(took)}, before the slowest fetch (${slowestUrl}, ${formatMs(slowest)}) had finished: it must wait for every result`,
    );
  }
  const late = evidence.calls.find((call) => call.startedAtMs > 0);
  const lateStart = late
    ? `; for example ${urlOf(late)} was only fetched at ${formatMs(late.startedAtMs)}`
    : '';
  return fail(
    `took ${formatMs(took)} of virtual time; the slowest fetch took ${formatMs(slowest)}, so the fetches did not all run at once ` +
      `(sequential sum ${formatMs(sequential)})${lateStart}`,
  );
}

/** A rejected fetch whose promise had no handler is an unhandled rejection: Node ends the process. */
export function judgeNoUnhandledRejection(_fetchCase: FetchAllCase, evidence: AsyncRunEvidence): Verdict {
  const first = evidence.unhandledRejections[0];
  if (first === undefined) return pass();
  const failedAt = first.settledAtMs ?? first.startedAtMs;
  const earlierPending = callsInFlightAt(evidence.calls, failedAt).filter((call) => call.index < first.index);
  const context = earlierPending.length > 0 ? ` while ${urlOf(earlierPending[0])} was still pending` : '';
  const more =
    evidence.unhandledRejections.length > 1
      ? ` (${evidence.unhandledRejections.length} unhandled in all)`
      : '';
  return fail(
    `the failed fetch of ${urlOf(first)} rejected at ${formatMs(failedAt)}${context} and nothing handled it${more}; ` +
      'Node ends the process on an unhandled rejection, so attach a handler to every promise right away ' +
      '(e.g. Promise.allSettled, or a .catch on each fetch)',
  );
}

export const judgesForEveryCase = {
  results: judgeResults,
  order: judgeOrder,
  'fetch-once': judgeFetchedOnce,
  concurrency: judgeConcurrency,
  'no-unhandled-rejection': judgeNoUnhandledRejection,
} as const;

/** `[]` for `[]`, without calling fetchData. */
export function judgeEmptyList(evidence: AsyncRunEvidence): Verdict {
  const { result } = evidence;
  if (result.kind === 'pending')
    return fail(
      `${describeUnsettled(evidence, 'fetchAll')} for an empty list of urls; it should resolve to []`,
    );
  if (result.kind === 'rejected')
    return fail(`fetchAll([]) rejected with "${result.message}"; it should resolve to []`);
  if (!Array.isArray(result.value) || result.value.length !== 0) {
    return fail(`fetchAll([]) resolved with ${describeValue(result.value)}; it should resolve to []`);
  }
  if (evidence.calls.length > 0)
    return fail(`fetchAll([]) called fetchData ${evidence.calls.length} times; there is nothing to fetch`);
  return pass();
}
