import type { ExerciseGrader, GraderContext } from '../grader-api';
import { CheckTally, fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs, plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { randomInt } from '../lib/latency-plan';
import { exploreTable } from './controlled-tables';
import { parseDiningSettings, type DiningSettings } from './dining-settings';
import { drawSeeds, tableLabel, type TablePlan } from './table-plan';
import { judgeForksReleased, judgeMeals, judgeTableFinished } from './table-judges';
import { runTable, type TableRun } from './table-runs';
import { judgeNoDeadlock } from './wait-for-cycle';

/**
 * dining-philosophers: the submission's philosopher() on one real thread per seat, with the
 * grader's Forks, eat() and think(). The grader's forks know who holds each fork and who waits for
 * it, in memory the submission never gets; every verdict is judged here from that memory and the
 * host's evidence. Timing is perturbed by seeded pauses (table-plan.ts) so a circle that can close
 * does close.
 */
const judges: Record<string, (run: TableRun) => Verdict | null> = {
  meals: judgeMeals,
  'no-deadlock': judgeNoDeadlock,
  'forks-released': judgeForksReleased,
  'finishes-in-time': judgeTableFinished,
};
const HIDDEN_CHECK = 'random-tables';

function visiblePlans(ctx: GraderContext, settings: DiningSettings): TablePlan[] {
  const { seats, runsPerTable, meals, wallTimeMs } = settings.tables;
  return seats.flatMap((count) =>
    Array.from({ length: runsPerTable }, (_, run) => ({
      label: tableLabel(count, run + 1, runsPerTable),
      seats: count,
      meals,
      pauses: settings.pauses,
      seeds: drawSeeds(ctx.random(`table ${count} run ${run + 1}`), count),
      wallTimeMs,
    })),
  );
}

function hiddenPlans(ctx: GraderContext, settings: DiningSettings): TablePlan[] {
  const { seats, runs, meals, wallTimeMs } = settings.hidden;
  const random = ctx.random('hidden tables');
  return Array.from({ length: runs }, (_, run) => {
    const count = randomInt(random, seats.min, seats.max);
    return {
      label: tableLabel(count, run + 1, runs),
      seats: count,
      meals,
      pauses: settings.pauses,
      seeds: drawSeeds(random, count),
      wallTimeMs,
    };
  });
}

/** The visible checks, table after table. A table stopped at its wall time would most likely be again: the rest are skipped. */
async function gradeVisibleTables(
  ctx: GraderContext,
  settings: DiningSettings,
  tally: CheckTally,
): Promise<void> {
  const plans = visiblePlans(ctx, settings);
  const runs: TableRun[] = [];
  let mealsJudged = 0;
  for (const plan of plans) {
    if (runs.some((run) => run.evidence.status === 'timeout')) break;
    const run = await runTable(ctx, plan);
    runs.push(run);
    for (const [checkId, judge] of Object.entries(judges)) {
      const verdict = judge(run);
      if (verdict !== null) tally.record(checkId, verdict);
      if (checkId === 'meals' && verdict?.passed) mealsJudged++;
    }
  }
  const skipped = plans.length - runs.length;
  const skippedNote =
    skipped === 0 ? '' : ` (${plural(skipped, 'more table')} skipped after one that did not finish)`;
  const tables = `${plural(runs.length, 'table')} of ${settings.tables.seats.join(', ')} seats${skippedNote}`;
  if (mealsJudged === 0)
    tally.record('meals', fail(`could not be checked: none of the ${tables} finished its meals`));
  tally.record(
    'meals',
    pass(
      `every philosopher ate exactly ${settings.tables.meals} times holding both of its forks, at ${tables}`,
    ),
  );
  tally.record('no-deadlock', pass(`no deadlock at ${tables}`));
  tally.record(
    'forks-released',
    pass(`every fork released by its holder, and all free at the end, at ${tables}`),
  );
  const longest = Math.max(0, ...runs.map((run) => run.evidence.wallMs));
  tally.record(
    'finishes-in-time',
    pass(`all ${tables} finished; the longest took ${formatMs(Math.round(longest))}`),
  );
  tally.finish();
}

/** Hidden: bigger tables of a random size; every property above, stopping at the first table that fails one. */
async function gradeHiddenTables(ctx: GraderContext, settings: DiningSettings): Promise<Verdict> {
  for (const plan of hiddenPlans(ctx, settings)) {
    const run = await runTable(ctx, plan);
    for (const [checkId, judge] of Object.entries(judges)) {
      const verdict = judge(run);
      if (verdict !== null && !verdict.passed) return fail(`${checkId}: ${verdict.message}`);
    }
  }
  return pass();
}

/**
 * First: short tables under the controlled scheduler. A deadlock is proven with its circle, and a
 * meal without both forks or a fork not released comes with the run that replays it; the real
 * tables after them look for what only real threads show, and time.
 */
async function exploreTables(ctx: GraderContext, settings: DiningSettings, tally: CheckTally): Promise<void> {
  const { seats, meals, runs } = settings.controlled;
  for (const count of seats) {
    const explored = await exploreTable(ctx, { seats: count, meals, runs });
    for (const [checkId, verdict] of Object.entries(explored.verdicts)) tally.record(checkId, verdict);
    if (Object.keys(explored.verdicts).length > 0) continue;
    tally.record(
      'no-deadlock',
      pass(`${plural(explored.runs, 'controlled run')} with ${count} seats: no deadlock`),
    );
  }
}

const diningPhilosophersGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = parseDiningSettings(ctx.settings);
    const tally = new CheckTally(checks);
    await exploreTables(ctx, settings, tally);
    await gradeVisibleTables(ctx, settings, tally);
    await gradeHiddenCheck(ctx, checks, HIDDEN_CHECK, () => gradeHiddenTables(ctx, settings));
  },
};

export default diningPhilosophersGrader;
