import type { AsyncRunEvidence, AsyncScenario, ExerciseGrader } from '../grader-api';
import { CheckTally, fail, pass } from '../lib/check-tally';
import { plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { createPlannedFetch } from '../lib/planned-service';
import { describeSchedule, drawSchedules, recordOnSchedule, replayHint } from '../lib/schedules';
import { buildFetchAllCase, type FetchAllCase } from './fetch-all-cases';
import { judgeEmptyList, judgesForEveryCase } from './fetch-all-judges';
import { parseFetchAllSettings } from './fetch-all-settings';

/**
 * fetch-all: `fetchAll(urls, fetchData)` on the virtual clock. Visible cases judge each property
 * as its own check; the hidden `large-random` check judges all of them on a bigger list. Each case
 * runs on `settings.schedules` schedules: fetches whose latencies are equal finish at the same
 * virtual instant, and each schedule orders those completions its own way.
 */
const HOSTS = 'abcdefghijklmnopqrstuvwxyz';

function scenarioFor(urls: string[], fetchCase: FetchAllCase | null): AsyncScenario {
  return {
    exportName: 'fetchAll',
    args: [{ value: urls }, { service: 'fetchData' }],
    services: { fetchData: createPlannedFetch(fetchCase?.plans ?? []) },
  };
}

function caseLabelOf(index: number, count: number, fetchCase: FetchAllCase): string {
  const failures = fetchCase.plans.filter((plan) => !plan.outcome.ok).length;
  return `case ${index + 1} of ${count} (${plural(fetchCase.urls.length, 'url')}, ${failures} failing)`;
}

function firstProblem(fetchCase: FetchAllCase, evidence: AsyncRunEvidence): string | null {
  for (const [checkId, judge] of Object.entries(judgesForEveryCase)) {
    const verdict = judge(fetchCase, evidence);
    if (!verdict.passed) return `${checkId}: ${verdict.message}`;
  }
  return null;
}

const fetchAllGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = parseFetchAllSettings(ctx.settings);
    const range = { minMs: settings.latencyMs.min, maxMs: settings.latencyMs.max };
    const tally = new CheckTally(checks);
    const replay = replayHint('fetch-all', ctx.seed);

    for (const [index, spec] of settings.cases.entries()) {
      const fetchCase = buildFetchAllCase(
        ctx.random(`case-${index}`),
        spec,
        HOSTS[index % HOSTS.length],
        range,
      );
      const caseLabel = caseLabelOf(index, settings.cases.length, fetchCase);
      for (const schedule of drawSchedules(ctx.random(`schedules/case-${index}`), settings.schedules)) {
        const evidence = await ctx.runAsync({
          ...scenarioFor(fetchCase.urls, fetchCase),
          scheduleSeed: schedule.seed,
        });
        for (const [checkId, judge] of Object.entries(judgesForEveryCase))
          recordOnSchedule(tally, checkId, judge(fetchCase, evidence), { caseLabel, schedule, replay });
      }
    }
    tally.record('empty-list', judgeEmptyList(await ctx.runAsync(scenarioFor([], null))));
    tally.finish();

    await gradeHiddenCheck(ctx, checks, 'large-random', async () => {
      const hidden = buildFetchAllCase(ctx.random('hidden'), settings.hiddenCase, 'hidden', range);
      const label = `${plural(hidden.urls.length, 'url')}, ${settings.hiddenCase.failures} failing`;
      for (const schedule of drawSchedules(ctx.random('schedules/hidden'), settings.schedules)) {
        const evidence = await ctx.runAsync({
          ...scenarioFor(hidden.urls, hidden),
          scheduleSeed: schedule.seed,
        });
        const problem = firstProblem(hidden, evidence);
        if (problem) return fail(`${label}, on ${describeSchedule(schedule)}: ${problem} (${replay})`);
      }
      return pass();
    });
  },
};

export default fetchAllGrader;
