import type { ExerciseGrader, GraderContext } from '../grader-api';
import { CheckTally, fail, pass } from '../lib/check-tally';
import { plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { buildDigestCase, digestService, type DigestCase } from './digest-cases';
import {
  judgeDigestOnce,
  judgeEmptyList,
  judgeResponsive,
  judgeResults,
  judgeTotalTime,
  type DigestRun,
} from './digest-judges';
import { heartbeatDriver } from './heartbeat-driver';
import { parseResponsiveDigestSettings, type ResponsiveDigestSettings } from './responsive-digest-settings';

/**
 * responsive-digest: digestAll(items, digest) beside a heartbeat in the same isolate, on the
 * virtual clock; each digest costs a fixed virtual time, so the counts and times do not depend on
 * the grading host. No service call completes at the same instant as another here, so the run is
 * the same on every schedule: one run per case.
 */
async function runCase(ctx: GraderContext, digestCase: DigestCase): Promise<DigestRun> {
  const sequentialMs = digestCase.items.length * digestCase.costMs;
  const evidence = await ctx.runAsyncDriver({
    driver: heartbeatDriver,
    exportNames: ['digestAll'],
    input: { items: digestCase.items, label: `digestAll(${plural(digestCase.items.length, 'item')})` },
    cpuServices: { digest: digestService(digestCase) },
    // Far beyond any passing run; the heartbeat ticks every virtual ms until then.
    maxVirtualMs: 20 * sequentialMs + 1000,
  });
  return { digestCase, evidence };
}

function judgesFor(settings: ResponsiveDigestSettings) {
  return {
    'results-in-order': judgeResults,
    'digest-once': judgeDigestOnce,
    'loop-stays-responsive': (run: DigestRun) => judgeResponsive(run, settings.maxDigestsBetweenTicks),
    'total-time': (run: DigestRun) => judgeTotalTime(run, settings.slackMs),
  };
}

const responsiveDigestGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = parseResponsiveDigestSettings(ctx.settings);
    const judges = judgesFor(settings);
    const tally = new CheckTally(checks);
    for (const [index, count] of settings.cases.entries()) {
      const digestCase = buildDigestCase(ctx.random(`case-${index}`), count, settings.digestCostMs);
      const run = await runCase(ctx, digestCase);
      const label = `case ${index + 1} of ${settings.cases.length} (${plural(count, 'item')})`;
      for (const [checkId, judge] of Object.entries(judges)) tally.record(checkId, judge(run), label);
    }
    const empty = await runCase(ctx, buildDigestCase(ctx.random('empty'), 0, settings.digestCostMs));
    tally.record('empty-list', judgeEmptyList(empty));
    tally.finish();

    await gradeHiddenCheck(ctx, checks, 'large-random', async () => {
      const hidden = await runCase(
        ctx,
        buildDigestCase(ctx.random('hidden'), settings.hiddenCase, settings.digestCostMs),
      );
      const problem = Object.entries(judges)
        .map(([checkId, judge]) => [checkId, judge(hidden)] as const)
        .find(([, verdict]) => !verdict.passed);
      return problem
        ? fail(`${plural(settings.hiddenCase, 'item')}: ${problem[0]}: ${problem[1].message}`)
        : pass();
    });
  },
};

export default responsiveDigestGrader;
