import type { AsyncRunEvidence, ServiceCallRecord } from '../grader-api';
import { greedySchedule } from '../lib/greedy-schedule';
import type { CrawlCase } from './crawl-cases';
import {
  judgeBodiesInOrder,
  judgeFetchedOnce,
  judgeGreedyTime,
  judgeMaxInFlight,
  judgeStartOrder,
} from './crawl-judges';

// limit 2; latencies 500, 100, 100, 100: greedy refills the fast slot at 100 and 200, done at 500.
const latenciesMs = [500, 100, 100, 100];
const urls = latenciesMs.map((_, i) => `https://a.test/${i}`);
const bodies = urls.map((url) => `body of ${url}`);
const crawlCase: CrawlCase = {
  urls,
  limit: 2,
  latenciesMs,
  bodies,
  plans: urls.map((url, i) => ({ url, latencyMs: latenciesMs[i], outcome: { ok: true, value: bodies[i] } })),
  greedy: greedySchedule(latenciesMs, 2),
};

function call(index: number, url: number, startedAtMs: number): ServiceCallRecord {
  return {
    service: 'fetchData',
    index,
    args: [urls[url]],
    startedAtMs,
    settledAtMs: startedAtMs + latenciesMs[url],
    ok: true,
  };
}
function run(calls: ServiceCallRecord[], value: unknown = bodies, settledAtMs = 500): AsyncRunEvidence {
  return { result: { kind: 'resolved', value }, settledAtMs, calls, unhandledRejections: [], console: [] };
}
const greedyRun = run([call(0, 0, 0), call(1, 1, 0), call(2, 2, 100), call(3, 3, 200)]);

describe('bounded-crawler judges', () => {
  it('passes the greedy schedule on every check, refilling a slot at the instant it frees', () => {
    for (const judge of [judgeMaxInFlight, judgeBodiesInOrder, judgeFetchedOnce, judgeStartOrder]) {
      expect(judge(crawlCase, greedyRun)).toEqual({ passed: true });
    }
    expect(judgeGreedyTime(crawlCase, greedyRun)).toEqual({
      passed: true,
      message: 'finished at 500 ms, as the greedy schedule does (fixed batches of 2 would take 600 ms)',
    });
  });

  it('reports limit + 1 in flight with the time and the urls', () => {
    const evidence = run([call(0, 0, 0), call(1, 1, 0), call(2, 2, 0), call(3, 3, 100)]);
    expect(judgeMaxInFlight(crawlCase, evidence)).toEqual({
      passed: false,
      message:
        'had 3 fetches in flight at 0 ms with limit 2 (https://a.test/0, https://a.test/1, https://a.test/2)',
    });
  });

  it('compares fixed batches with the greedy schedule and names the slot left idle', () => {
    const evidence = run([call(0, 0, 0), call(1, 1, 0), call(2, 2, 500), call(3, 3, 500)], bodies, 600);
    expect(judgeGreedyTime(crawlCase, evidence)).toEqual({
      passed: false,
      message:
        'finished at 600 ms (exactly the time of fixed batches of 2); the greedy schedule that refills a free slot at once ' +
        'finishes at 500 ms; https://a.test/2 started at 500 ms, but a slot was free at 100 ms, when https://a.test/1 finished',
    });
  });

  it('names completion order when the bodies follow the finishing order', () => {
    const value = [bodies[1], bodies[2], bodies[3], bodies[0]];
    expect(judgeBodiesInOrder(crawlCase, run(greedyRun.calls, value))).toEqual({
      passed: false,
      message:
        'bodies are in completion order: body 0 should be the body of https://a.test/0 but is the body of https://a.test/1',
    });
  });

  it('wants fetches to start in input order', () => {
    const evidence = run([call(0, 0, 0), call(1, 2, 0), call(2, 1, 100), call(3, 3, 200)]);
    expect(judgeStartOrder(crawlCase, evidence)).toEqual({
      passed: false,
      message:
        'fetches must start in input order: fetch 2 (at 0 ms) was for https://a.test/2, but the next url in the list was https://a.test/1',
    });
  });

  it('catches a url fetched twice', () => {
    const evidence = run([call(0, 0, 0), call(1, 0, 0), call(2, 1, 500), call(3, 2, 500), call(4, 3, 600)]);
    expect(judgeFetchedOnce(crawlCase, evidence)).toEqual({
      passed: false,
      message: 'each url must be fetched exactly once: https://a.test/0 was fetched 2 times (at 0 ms, 0 ms)',
    });
  });

  it('explains a crawl that never settles', () => {
    const evidence: AsyncRunEvidence = {
      ...greedyRun,
      result: { kind: 'pending', reason: 'no-events-left' },
      settledAtMs: null,
    };
    expect(judgeGreedyTime(crawlCase, evidence)).toMatchObject({
      passed: false,
      message: expect.stringContaining('crawl never settled'),
    });
    expect(judgeBodiesInOrder(crawlCase, evidence).passed).toBe(false);
  });
});
