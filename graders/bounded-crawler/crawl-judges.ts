import type { AsyncRunEvidence, ServiceCallRecord } from '../grader-api';
import { fail, pass, type Verdict } from '../lib/check-tally';
import { describeValue, formatMs, listSome, plural } from '../lib/format';
import { fixedBatchesTotalMs } from '../lib/greedy-schedule';
import { peakInFlight } from '../lib/in-flight';
import { describeFetchCountProblem, firstFetchOrder, urlOf } from '../lib/url-calls';
import { describeUnsettled } from '../lib/virtual-time';
import type { CrawlCase } from './crawl-cases';

/** Each judge reads only host-recorded evidence and the case the grader planned. */

export function judgeMaxInFlight(crawlCase: CrawlCase, evidence: AsyncRunEvidence): Verdict {
  const peak = peakInFlight(evidence.calls);
  if (peak.count <= crawlCase.limit) return pass();
  return fail(
    `had ${plural(peak.count, 'fetch', 'fetches')} in flight at ${formatMs(peak.atMs!)} with limit ${crawlCase.limit} ` +
      `(${listSome(peak.calls.map(urlOf), 4)})`,
  );
}

/** The url index each call's settle order gives: what pushing bodies as they arrive produces. */
function completionOrderOfRun(calls: readonly ServiceCallRecord[]): string[] {
  const settled = calls.filter((call) => call.settledAtMs !== null);
  return [
    ...new Set([...settled].sort((a, b) => a.settledAtMs! - b.settledAtMs! || a.index - b.index).map(urlOf)),
  ];
}

export function judgeBodiesInOrder(crawlCase: CrawlCase, evidence: AsyncRunEvidence): Verdict {
  const { result } = evidence;
  if (result.kind === 'pending') return fail(describeUnsettled(evidence, 'crawl')!);
  if (result.kind === 'rejected')
    return fail(`crawl rejected with "${result.message}"; it should resolve to the bodies`);
  if (!Array.isArray(result.value))
    return fail(`crawl resolved with ${describeValue(result.value)}, not an array of bodies`);
  const bodies: unknown[] = result.value;
  if (bodies.length !== crawlCase.urls.length) {
    return fail(
      `crawl resolved with ${plural(bodies.length, 'body', 'bodies')} for ${plural(crawlCase.urls.length, 'url')}`,
    );
  }
  const wrong = crawlCase.bodies.findIndex((body, i) => bodies[i] !== body);
  if (wrong === -1) return pass();
  const urlOfBody = new Map(crawlCase.bodies.map((body, i) => [body, crawlCase.urls[i]]));
  const actualUrls = bodies.map((body) => (typeof body === 'string' ? urlOfBody.get(body) : undefined));
  const actual = actualUrls[wrong] ? `the body of ${actualUrls[wrong]}` : describeValue(bodies[wrong]);
  const what = `body ${wrong} should be the body of ${crawlCase.urls[wrong]} but is ${actual}`;
  const completion = completionOrderOfRun(evidence.calls);
  const inCompletionOrder = actualUrls.every((url, i) => url !== undefined && url === completion[i]);
  return fail(inCompletionOrder ? `bodies are in completion order: ${what}` : what);
}

export function judgeFetchedOnce(crawlCase: CrawlCase, evidence: AsyncRunEvidence): Verdict {
  const problem = describeFetchCountProblem(crawlCase.urls, evidence.calls);
  return problem ? fail(`each url must be fetched exactly once: ${problem}`) : pass();
}

/** The k-th distinct url fetched is urls[k]; a missing url is fetch-once's business, not this check's. */
export function judgeStartOrder(crawlCase: CrawlCase, evidence: AsyncRunEvidence): Verdict {
  const started = firstFetchOrder(evidence.calls);
  const wrong = started.findIndex((url, k) => k < crawlCase.urls.length && url !== crawlCase.urls[k]);
  if (wrong === -1) return pass();
  const startedAt = evidence.calls.find((call) => urlOf(call) === started[wrong])!.startedAtMs;
  return fail(
    `fetches must start in input order: fetch ${wrong + 1} (at ${formatMs(startedAt)}) was for ${started[wrong]}, ` +
      `but the next url in the list was ${crawlCase.urls[wrong]}`,
  );
}

/** The first url that started later than the greedy schedule starts it: where the time was lost. */
function describeFirstLateStart(crawlCase: CrawlCase, calls: readonly ServiceCallRecord[]): string | null {
  const { greedy, urls } = crawlCase;
  for (let i = 0; i < urls.length; i += 1) {
    const first = calls.find((call) => urlOf(call) === urls[i]);
    if (first === undefined || first.startedAtMs <= greedy.startMs[i]) continue;
    const freedBy = greedy.slotFreedBy[i];
    const free =
      freedBy === null
        ? 'from the start'
        : `at ${formatMs(greedy.startMs[i])}, when ${urls[freedBy]} finished`;
    return `${urls[i]} started at ${formatMs(first.startedAtMs)}, but a slot was free ${free}`;
  }
  return null;
}

export function judgeGreedyTime(crawlCase: CrawlCase, evidence: AsyncRunEvidence): Verdict {
  const boundMs = crawlCase.greedy.totalMs;
  const took = evidence.settledAtMs;
  if (took === null) return fail(describeUnsettled(evidence, 'crawl')!);
  const batchesMs = fixedBatchesTotalMs(crawlCase.latenciesMs, crawlCase.limit);
  if (took <= boundMs) {
    const batches =
      batchesMs > boundMs ? ` (fixed batches of ${crawlCase.limit} would take ${formatMs(batchesMs)})` : '';
    const asGreedy =
      took === boundMs ? 'as the greedy schedule does' : `before the greedy schedule's ${formatMs(boundMs)}`;
    return pass(`finished at ${formatMs(took)}, ${asGreedy}${batches}`);
  }
  const lateStart = describeFirstLateStart(crawlCase, evidence.calls);
  const why = lateStart
    ? `; ${lateStart}`
    : '; every fetch started on time, but crawl resolved after the last fetch finished';
  const batches = took === batchesMs ? ` (exactly the time of fixed batches of ${crawlCase.limit})` : '';
  return fail(
    `finished at ${formatMs(took)}${batches}; the greedy schedule that refills a free slot at once finishes at ${formatMs(boundMs)}${why}`,
  );
}

export const judgesForEveryCase = {
  'max-in-flight': judgeMaxInFlight,
  'bodies-in-order': judgeBodiesInOrder,
  'fetch-once': judgeFetchedOnce,
  'start-order': judgeStartOrder,
  'greedy-time': judgeGreedyTime,
} as const;
