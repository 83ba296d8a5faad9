import type { ExerciseGrader, GraderContext } from '../grader-api';
import { CheckTally, fail, pass } from '../lib/check-tally';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { randomInt } from '../lib/latency-plan';
import { describeSchedule, drawSchedules, replayHint, type Schedule } from '../lib/schedules';
import { parseAsyncBankSettings, type AsyncBankSettings } from './async-bank-settings';
import { bankDriver } from './bank-driver';
import {
  judgeBalancesMatchOutcomes,
  judgeConservation,
  judgeFinished,
  judgeNoLostDeposit,
  judgeNoOverdraft,
  judgeWithdrawWhenCovered,
  type Judgement,
} from './bank-judges';
import type { BankRun } from './bank-ledger';
import {
  depositsPlan,
  mixedPlan,
  oppositeTransfersPlan,
  transfersPlan,
  withdrawalsPlan,
  type BankPlan,
  type PlanKind,
} from './bank-plans';
import { VirtualStore } from './bank-store';

/**
 * async-bank: one Bank on the grader's store, many operations at once, on the virtual clock. Each
 * plan runs on several schedules (its own store latencies and its own order for completions that
 * tie); a check fails on the first schedule that shows the mistake, naming it and how to replay.
 */
const EXERCISE = 'async-bank';
const FINISH_HINT =
  'every lock must be released on every path, an early `return false` included (try/finally), ' +
  'and the locks of two accounts must be taken in one fixed order';
const OPPOSITE_HINT =
  'two transfers in opposite directions must not each hold one account and wait for the other: ' +
  'take the locks of both accounts in one fixed order (sorted by name, say)';

type Judge = (run: BankRun) => Judgement;
const finishes: Judge = (run) => judgeFinished(run, FINISH_HINT);

const JUDGES: Record<PlanKind, Record<string, Judge>> = {
  deposits: { 'operations-finish': finishes, 'no-lost-deposit': judgeNoLostDeposit },
  withdrawals: {
    'operations-finish': finishes,
    'no-overdraft': judgeNoOverdraft,
    'balances-match-outcomes': judgeBalancesMatchOutcomes,
    'withdraw-when-covered': judgeWithdrawWhenCovered,
  },
  transfers: {
    'operations-finish': finishes,
    'transfers-conserve-money': judgeConservation,
    'no-overdraft': judgeNoOverdraft,
    'balances-match-outcomes': judgeBalancesMatchOutcomes,
    'withdraw-when-covered': judgeWithdrawWhenCovered,
  },
  'opposite-transfers': { 'opposite-transfers-finish': (run) => judgeFinished(run, OPPOSITE_HINT) },
  mixed: {
    'operations-finish': finishes,
    'no-overdraft': judgeNoOverdraft,
    'balances-match-outcomes': judgeBalancesMatchOutcomes,
    'withdraw-when-covered': judgeWithdrawWhenCovered,
  },
};

async function runPlan(
  ctx: GraderContext,
  plan: BankPlan,
  schedule: Schedule,
  latencyMs: AsyncBankSettings['latencyMs'],
): Promise<BankRun> {
  const latencies = ctx.random(`latency/${plan.kind}/${schedule.seed}`);
  const store = new VirtualStore(plan.initial, () => randomInt(latencies, latencyMs.min, latencyMs.max));
  const evidence = await ctx.runAsyncDriver({
    label: `${plan.what}, ${describeSchedule(schedule)}`,
    driver: bankDriver,
    exportNames: ['Bank'],
    input: { operations: plan.operations },
    services: store.services(),
    scheduleSeed: schedule.seed,
  });
  return { plan, evidence, store };
}

/** The plan's schedules, each with the words that name it in a message. */
function schedulesOf(ctx: GraderContext, plan: BankPlan, count: number) {
  return drawSchedules(ctx.random(`schedules/${plan.kind}`), count).map((schedule) => ({
    schedule,
    where: `${plan.what}, on ${describeSchedule(schedule)}`,
  }));
}

const asyncBankGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = parseAsyncBankSettings(ctx.settings);
    const replay = replayHint(EXERCISE, ctx.seed);
    const tally = new CheckTally(checks);
    const visiblePlans = [
      depositsPlan(ctx.random('plan/deposits'), settings.deposits),
      withdrawalsPlan(ctx.random('plan/withdrawals'), settings.withdrawals),
      transfersPlan(ctx.random('plan/transfers'), settings.transfers),
      oppositeTransfersPlan(ctx.random('plan/opposite-transfers')),
    ];
    for (const plan of visiblePlans) {
      for (const { schedule, where } of schedulesOf(ctx, plan, settings.schedules)) {
        const run = await runPlan(ctx, plan, schedule, settings.latencyMs);
        for (const [checkId, judge] of Object.entries(JUDGES[plan.kind])) {
          const judgement = judge(run);
          if ('notJudged' in judgement) tally.skip(checkId, judgement.notJudged, where);
          else if (judgement.passed) tally.record(checkId, judgement);
          else tally.record(checkId, fail(`${judgement.message} (${replay})`), where);
        }
      }
    }
    tally.finish();

    await gradeHiddenCheck(ctx, checks, 'large-random', async () => {
      const hidden = mixedPlan(ctx.random('plan/hidden'), settings.hidden);
      for (const { schedule, where } of schedulesOf(ctx, hidden, settings.hiddenSchedules)) {
        const run = await runPlan(ctx, hidden, schedule, settings.latencyMs);
        for (const [checkId, judge] of Object.entries(JUDGES.mixed)) {
          const judgement = judge(run);
          if ('passed' in judgement && !judgement.passed)
            return fail(`${where}: ${checkId}: ${judgement.message} (${replay})`);
        }
      }
      return pass();
    });
  },
};

export default asyncBankGrader;
