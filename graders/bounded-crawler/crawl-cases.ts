import {
  completionOrder,
  fixedBatchesTotalMs,
  greedySchedule,
  type GreedySchedule,
} from '../lib/greedy-schedule';
import { drawLatencies, drawUntil, randomToken, type LatencyRange, type Random } from '../lib/latency-plan';
import type { UrlPlan } from '../lib/planned-service';
import type { CrawlCaseSpec } from './bounded-crawler-settings';

/** One crawl: urls, limit, every fetch's latency and body fixed in advance, and the bound to meet. */
export interface CrawlCase {
  urls: string[];
  limit: number;
  plans: UrlPlan[];
  latenciesMs: number[];
  bodies: string[];
  greedy: GreedySchedule;
}

/**
 * Uneven uniform latencies, redrawn (deterministically, from the same stream) until the case can
 * tell each mistake apart on every seed: whenever 2 <= limit < urls, fixed batches finish strictly
 * later than the greedy schedule; whenever limit >= 2, completion order differs from input order.
 */
function separatesMistakes(latenciesMs: number[], limit: number): boolean {
  if (latenciesMs.length < 2 || limit < 2) return true;
  const greedy = greedySchedule(latenciesMs, limit);
  const order = completionOrder(greedy.finishMs);
  if (order.every((url, i) => url === i)) return false;
  return limit >= latenciesMs.length || fixedBatchesTotalMs(latenciesMs, limit) > greedy.totalMs;
}

export function buildCrawlCase(
  random: Random,
  spec: CrawlCaseSpec,
  host: string,
  range: LatencyRange,
): CrawlCase {
  const latenciesMs = drawUntil(
    () => drawLatencies(random, spec.urls, range),
    (candidate) => separatesMistakes(candidate, spec.limit),
    `latencies for ${spec.urls} urls with limit ${spec.limit}`,
  );
  const urls = Array.from({ length: spec.urls }, (_, i) => `https://${host}.test/${i}`);
  const bodies = urls.map((_, i) => `<html>page ${i} of ${host}.test · ${randomToken(random)}</html>`);
  const plans = urls.map((url, i): UrlPlan => ({
    url,
    latencyMs: latenciesMs[i],
    outcome: { ok: true, value: bodies[i] },
  }));
  return {
    urls,
    limit: spec.limit,
    plans,
    latenciesMs,
    bodies,
    greedy: greedySchedule(latenciesMs, spec.limit),
  };
}
