import {
  drawLatencies,
  pickIndexes,
  randomInt,
  randomToken,
  type LatencyRange,
  type Random,
} from '../lib/latency-plan';
import type { UrlPlan } from '../lib/planned-service';
import type { FetchAllCaseSpec } from './fetch-all-settings';

/** One list of urls with every fetch's latency and outcome fixed in advance. */
export interface FetchAllCase {
  urls: string[];
  plans: UrlPlan[];
}

const FAILURES = [
  '503 Service Unavailable',
  '404 Not Found',
  '500 Internal Server Error',
  'connection reset by peer',
];

/**
 * Latencies are uniform in the range, with two promises that make every mistake show on every
 * seed: url 0 succeeds in the slow half, and the first failing url fails in the fast half. So a
 * failure settles while url 0 is pending (an unhandled rejection for code that awaits in order),
 * completion order differs from input order, and the sequential sum exceeds the slowest fetch.
 */
export function buildFetchAllCase(
  random: Random,
  spec: FetchAllCaseSpec,
  host: string,
  range: LatencyRange,
): FetchAllCase {
  const urls = Array.from({ length: spec.urls }, (_, i) => `https://${host}.test/${i}`);
  const latencies = drawLatencies(random, spec.urls, range);
  const failing = pickIndexes(random, spec.failures, 1, spec.urls);
  const middle = Math.floor((range.minMs + range.maxMs) / 2);
  latencies[0] = randomInt(random, middle + 1, range.maxMs);
  latencies[failing[0]] = randomInt(random, range.minMs, middle);
  const failingSet = new Set(failing);
  const plans = urls.map((url, i): UrlPlan => {
    const token = randomToken(random);
    if (failingSet.has(i)) {
      const reason = FAILURES[randomInt(random, 0, FAILURES.length - 1)];
      return {
        url,
        latencyMs: latencies[i],
        outcome: { ok: false, error: `${reason} (${url}, request ${token})` },
      };
    }
    return {
      url,
      latencyMs: latencies[i],
      outcome: { ok: true, value: `<html>page ${i} of ${host}.test · ${token}</html>` },
    };
  });
  return { urls, plans };
}
