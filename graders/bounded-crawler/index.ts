import type { AsyncRunEvidence, ExerciseGrader } from '../grader-api';
import { CheckTally } from '../lib/check-tally';
import { plural } from '../lib/format';
import { createPlannedFetch } from '../lib/planned-service';
import { parseBoundedCrawlerSettings } from './bounded-crawler-settings';
import { buildCrawlCase, type CrawlCase } from './crawl-cases';
import { judgesForEveryCase } from './crawl-judges';

/**
 * bounded-crawler: `crawl(urls, fetchData, limit)` on the virtual clock. Visible cases judge each
 * property as its own check; the hidden `large-random` check judges all of them on a longer list.
 */
const HOSTS = 'abcdefghijklmnopqrstuvwxyz';

function runCrawl(
  ctx: Parameters<ExerciseGrader['grade']>[0],
  crawlCase: CrawlCase,
): Promise<AsyncRunEvidence> {
  return ctx.runAsync({
    exportName: 'crawl',
    args: [{ value: crawlCase.urls }, { service: 'fetchData' }, { value: crawlCase.limit }],
    services: { fetchData: createPlannedFetch(crawlCase.plans) },
  });
}

function describeCase(crawlCase: CrawlCase): string {
  return `${plural(crawlCase.urls.length, 'url')}, limit ${crawlCase.limit}`;
}

const boundedCrawlerGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = parseBoundedCrawlerSettings(ctx.settings);
    const range = { minMs: settings.latencyMs.min, maxMs: settings.latencyMs.max };
    const tally = new CheckTally(checks);

    for (const [index, spec] of settings.cases.entries()) {
      const crawlCase = buildCrawlCase(ctx.random(`case-${index}`), spec, HOSTS[index % HOSTS.length], range);
      const evidence = await runCrawl(ctx, crawlCase);
      const label = `case ${index + 1} of ${settings.cases.length} (${describeCase(crawlCase)})`;
      for (const [checkId, judge] of Object.entries(judgesForEveryCase)) {
        tally.record(checkId, judge(crawlCase, evidence), label);
      }
    }
    tally.finish();

    const hidden = buildCrawlCase(ctx.random('hidden'), settings.hiddenCase, 'hidden', range);
    const evidence = await runCrawl(ctx, hidden);
    const problems = Object.entries(judgesForEveryCase).flatMap(([checkId, judge]) => {
      const verdict = judge(hidden, evidence);
      return verdict.passed ? [] : [`${checkId}: ${verdict.message}`];
    });
    if (problems.length > 0) checks.fail('large-random', `${describeCase(hidden)}: ${problems[0]}`);
    else checks.pass('large-random');
  },
};

export default boundedCrawlerGrader;
