import type { AsyncRunEvidence, ExerciseGrader } from '../grader-api';
import { CheckTally, fail, pass } from '../lib/check-tally';
import { plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { createPlannedFetch } from '../lib/planned-service';
import {
  describeSchedule,
  drawSchedules,
  recordOnSchedule,
  replayHint,
  type Schedule,
} from '../lib/schedules';
import { parseBoundedCrawlerSettings } from './bounded-crawler-settings';
import { buildCrawlCase, type CrawlCase } from './crawl-cases';
import { judgesForEveryCase } from './crawl-judges';

/**
 * bounded-crawler: `crawl(urls, fetchData, limit)` on the virtual clock. Visible cases judge each
 * property as its own check; the hidden `large-random` check judges all of them on a longer list.
 * Each case runs on `settings.schedules` schedules: fetches that finish at the same virtual instant
 * (equal latencies, or a later start that catches up) complete in each schedule's own order.
 */
const HOSTS = 'abcdefghijklmnopqrstuvwxyz';

function runCrawl(
  ctx: Parameters<ExerciseGrader['grade']>[0],
  crawlCase: CrawlCase,
  schedule: Schedule,
): Promise<AsyncRunEvidence> {
  return ctx.runAsync({
    exportName: 'crawl',
    args: [{ value: crawlCase.urls }, { service: 'fetchData' }, { value: crawlCase.limit }],
    services: { fetchData: createPlannedFetch(crawlCase.plans) },
    scheduleSeed: schedule.seed,
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
    const replay = replayHint('bounded-crawler', ctx.seed);

    for (const [index, spec] of settings.cases.entries()) {
      const crawlCase = buildCrawlCase(ctx.random(`case-${index}`), spec, HOSTS[index % HOSTS.length], range);
      const caseLabel = `case ${index + 1} of ${settings.cases.length} (${describeCase(crawlCase)})`;
      for (const schedule of drawSchedules(ctx.random(`schedules/case-${index}`), settings.schedules)) {
        const evidence = await runCrawl(ctx, crawlCase, schedule);
        for (const [checkId, judge] of Object.entries(judgesForEveryCase))
          recordOnSchedule(tally, checkId, judge(crawlCase, evidence), { caseLabel, schedule, replay });
      }
    }
    tally.finish();

    await gradeHiddenCheck(ctx, checks, 'large-random', async () => {
      const hidden = buildCrawlCase(ctx.random('hidden'), settings.hiddenCase, 'hidden', range);
      for (const schedule of drawSchedules(ctx.random('schedules/hidden'), settings.schedules)) {
        const evidence = await runCrawl(ctx, hidden, schedule);
        const problems = Object.entries(judgesForEveryCase).flatMap(([checkId, judge]) => {
          const verdict = judge(hidden, evidence);
          return verdict.passed ? [] : [`${checkId}: ${verdict.message}`];
        });
        if (problems.length > 0)
          return fail(
            `${describeCase(hidden)}, on ${describeSchedule(schedule)}: ${problems[0]} (${replay})`,
          );
      }
      return pass();
    });
  },
};

export default boundedCrawlerGrader;
