import type { AsyncRunEvidence, ServiceCallRecord } from '../grader-api';
import type { FetchAllCase } from './fetch-all-cases';
import {
  judgeConcurrency,
  judgeEmptyList,
  judgeFetchedOnce,
  judgeNoUnhandledRejection,
  judgeOrder,
  judgeResults,
} from './fetch-all-judges';

// a.test/0 succeeds after 400 ms, a.test/1 fails after 100 ms, a.test/2 succeeds after 250 ms.
const fetchCase: FetchAllCase = {
  urls: ['https://a.test/0', 'https://a.test/1', 'https://a.test/2'],
  plans: [
    { url: 'https://a.test/0', latencyMs: 400, outcome: { ok: true, value: 'body 0' } },
    { url: 'https://a.test/1', latencyMs: 100, outcome: { ok: false, error: '503 down' } },
    { url: 'https://a.test/2', latencyMs: 250, outcome: { ok: true, value: 'body 2' } },
  ],
};
const correct = [
  { url: 'https://a.test/0', ok: true, body: 'body 0' },
  { url: 'https://a.test/1', ok: false, error: '503 down' },
  { url: 'https://a.test/2', ok: true, body: 'body 2' },
];

function call(
  index: number,
  url: string,
  startedAtMs: number,
  settledAtMs: number,
  ok = true,
): ServiceCallRecord {
  return { service: 'fetchData', index, args: [url], startedAtMs, settledAtMs, ok };
}
const concurrentCalls = [
  call(0, 'https://a.test/0', 0, 400),
  call(1, 'https://a.test/1', 0, 100, false),
  call(2, 'https://a.test/2', 0, 250),
];
function evidence(overrides: Partial<AsyncRunEvidence>): AsyncRunEvidence {
  return {
    result: { kind: 'resolved', value: correct },
    settledAtMs: 400,
    calls: concurrentCalls,
    unhandledRejections: [],
    console: [],
    ...overrides,
  };
}

describe('fetch-all judges', () => {
  it('passes a correct, fully concurrent run on every check and reports the speedup', () => {
    const run = evidence({});
    for (const judge of [judgeResults, judgeOrder, judgeFetchedOnce, judgeNoUnhandledRejection]) {
      expect(judge(fetchCase, run)).toEqual({ passed: true });
    }
    expect(judgeConcurrency(fetchCase, run)).toEqual({
      passed: true,
      message:
        'finished at 400 ms, when the slowest fetch did: 1.9x faster than fetching one after another (750 ms)',
    });
  });

  it('says that Promise.all rejected on the first failure', () => {
    const run = evidence({ result: { kind: 'rejected', message: '503 down' }, settledAtMs: 100 });
    expect(judgeResults(fetchCase, run)).toMatchObject({
      passed: false,
      message: expect.stringContaining('rejected with "503 down" at 100 ms'),
    });
    expect(judgeConcurrency(fetchCase, run)).toMatchObject({
      passed: false,
      message: expect.stringContaining('before the slowest fetch'),
    });
  });

  it('names completion order when the results follow the finishing order', () => {
    const run = evidence({ result: { kind: 'resolved', value: [correct[1], correct[2], correct[0]] } });
    expect(judgeResults(fetchCase, run).passed).toBe(true);
    expect(judgeOrder(fetchCase, run)).toEqual({
      passed: false,
      message:
        'results are in completion order: result 0 should be for https://a.test/0 but is for https://a.test/1',
    });
  });

  it('reports sequential fetching with the virtual time and the sequential sum', () => {
    const calls = [
      call(0, 'https://a.test/0', 0, 400),
      call(1, 'https://a.test/1', 400, 500, false),
      call(2, 'https://a.test/2', 500, 750),
    ];
    expect(judgeConcurrency(fetchCase, evidence({ calls, settledAtMs: 750 }))).toEqual({
      passed: false,
      message:
        'took 750 ms of virtual time; the slowest fetch took 400 ms, so the fetches did not all run at once ' +
        '(sequential sum 750 ms); for example https://a.test/1 was only fetched at 400 ms',
    });
  });

  it('counts a url fetched twice and a url never fetched', () => {
    const calls = [...concurrentCalls.slice(0, 2), call(2, 'https://a.test/1', 100, 200, false)];
    expect(judgeFetchedOnce(fetchCase, evidence({ calls }))).toEqual({
      passed: false,
      message:
        'each url must be fetched exactly once: https://a.test/1 was fetched 2 times (at 0 ms, 100 ms); never fetched: https://a.test/2',
    });
  });

  it('names the earlier url still pending when a failure went unhandled', () => {
    const run = evidence({ unhandledRejections: [concurrentCalls[1]] });
    expect(judgeNoUnhandledRejection(fetchCase, run)).toMatchObject({
      passed: false,
      message: expect.stringContaining(
        'the failed fetch of https://a.test/1 rejected at 100 ms while https://a.test/0 was still pending',
      ),
    });
  });

  it('hints at err.message when the error kept the "Error: " prefix', () => {
    const value = [correct[0], { ...correct[1], error: 'Error: 503 down' }, correct[2]];
    expect(judgeResults(fetchCase, evidence({ result: { kind: 'resolved', value } }))).toMatchObject({
      passed: false,
      message: expect.stringContaining('(use err.message: String(err) puts "Error: " in front)'),
    });
  });

  it('wants [] for an empty list, without fetching, and explains a promise that never settles', () => {
    expect(
      judgeEmptyList(evidence({ result: { kind: 'resolved', value: [] }, calls: [], settledAtMs: 0 })),
    ).toEqual({ passed: true });
    const hung = evidence({
      result: { kind: 'pending', reason: 'no-events-left' },
      calls: [],
      settledAtMs: null,
    });
    expect(judgeEmptyList(hung)).toMatchObject({
      passed: false,
      message: expect.stringContaining('never settled'),
    });
  });
});
