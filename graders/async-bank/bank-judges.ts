import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, formatMs, plural } from '../lib/format';
import { accountFlows, debitOf, firstUnusableReport, reportedSuccess, type BankRun } from './bank-ledger';
import { describeOverlap } from './store-overlaps';

/**
 * Each judge reads the plan, the host's records of the operations and the grader's own store:
 * never the submission's bookkeeping. A judge that cannot judge a run (it never finished) says why.
 */
export type Judgement = Verdict | { notJudged: string };

const notFinished = (run: BankRun): Judgement | null =>
  run.evidence.end === 'completed'
    ? null
    : { notJudged: 'the run never finished (see the check on finishing)' };

/** "x is", "x and y are", "v, w, x, y, z and 2 more operations are". */
export function listWaiting(labels: string[]): string {
  if (labels.length === 1) return `${labels[0]} is`;
  const shown = labels.slice(0, labels.length <= 6 ? 6 : 5);
  const rest = labels.length - shown.length;
  const head =
    rest > 0
      ? `${shown.join(', ')} and ${plural(rest, 'more operation')}`
      : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
  return `${head} are`;
}

/** Every operation settles: a run that stops with some waiting is an async deadlock, named. */
export function judgeFinished(run: BankRun, hint: string): Judgement {
  const { evidence } = run;
  if (evidence.end === 'completed') return pass();
  const waiting = listWaiting(evidence.waiting.map((operation) => operation.label));
  const settled = evidence.operations.length - evidence.waiting.length;
  const done = `${settled} of ${evidence.operations.length} operations had finished`;
  if (evidence.end === 'virtual-time-cap')
    return fail(
      `${waiting} still waiting after ${formatMs(evidence.endedAtMs)} of virtual time (${done}); ${hint}`,
    );
  return fail(
    `${waiting} still waiting, and nothing is left to happen (no store call in flight, no timer): an async deadlock at ` +
      `${formatMs(evidence.endedAtMs)} (${done}); ${hint}`,
  );
}

/** Every deposit shows in the final balance: concurrent deposits must not overwrite each other. */
export function judgeNoLostDeposit(run: BankRun): Judgement {
  const skipped = notFinished(run);
  if (skipped) return skipped;
  const unusable = firstUnusableReport(run);
  if (unusable) return fail(unusable);
  for (const flow of accountFlows(run)) {
    if (flow.final === flow.expected) continue;
    const deposits = run.plan.operations.filter(
      (operation) => operation.method === 'deposit' && operation.args[0] === flow.account,
    );
    const missing = flow.expected - flow.final;
    const overlap = describeOverlap(run.store.log, flow.account, true);
    return fail(
      `account ${flow.account} ends with ${formatCount(flow.final)}, but it started at ${formatCount(flow.initial)} and ` +
        `${plural(deposits.length, 'deposit')} added ${formatCount(flow.credits)}: ` +
        `${missing > 0 ? `${formatCount(missing)} was lost` : `${formatCount(-missing)} too much`}` +
        `${overlap ? `. ${overlap}` : ''}; hold the account from the read until the write has landed`,
    );
  }
  return pass();
}

/** No write ever sets a balance below zero, not even for a moment. */
export function judgeNoOverdraft(run: BankRun): Judgement {
  const negative = run.store.log.find((event) => event.kind === 'write' && event.value < 0);
  if (!negative) return notFinished(run) ?? pass();
  const { account } = negative;
  const successes = run.plan.operations.filter(
    (operation, index) => debitOf(operation)?.account === account && reportedSuccess(run, index) === true,
  );
  const taken = successes.reduce((sum, operation) => sum + debitOf(operation)!.amount, 0);
  return fail(
    `account ${account} was set to ${formatCount(negative.value)} at ${formatMs(negative.atMs)}: it started at ` +
      `${formatCount(run.plan.initial[account] ?? 0)}, and ${plural(successes.length, 'withdrawal or transfer', 'withdrawals and transfers')} ` +
      `from it reported success, taking ${formatCount(taken)}; check the balance and write the new one while holding the account, ` +
      'and never write a balance below zero',
  );
}

/** The final balances are what the operations that reported success add up to. */
export function judgeBalancesMatchOutcomes(run: BankRun): Judgement {
  const skipped = notFinished(run);
  if (skipped) return skipped;
  const unusable = firstUnusableReport(run);
  if (unusable) return fail(unusable);
  const wrong = accountFlows(run).find((flow) => flow.final !== flow.expected);
  if (!wrong) return pass();
  const overlap = describeOverlap(run.store.log, wrong.account, false);
  return fail(
    `account ${wrong.account} ends with ${formatCount(wrong.final)}, but the operations that reported success leave ` +
      `${formatCount(wrong.expected)} (started at ${formatCount(wrong.initial)}, +${formatCount(wrong.credits)} in, ` +
      `-${formatCount(wrong.debits)} out)${overlap ? `. ${overlap}` : ''}`,
  );
}

/**
 * A withdraw or transfer that resolved false must have found too little money. An account's
 * balance is never below its final balance minus everything added to it during the run, so a
 * `false` when even that covers the amount was wrong whatever the order of the operations.
 */
export function judgeWithdrawWhenCovered(run: BankRun): Judgement {
  const skipped = notFinished(run);
  if (skipped) return skipped;
  if (firstUnusableReport(run))
    return { notJudged: 'some operation reported no usable result (see the balances check)' };
  const flows = new Map(accountFlows(run).map((flow) => [flow.account, flow]));
  if ([...flows.values()].some((flow) => flow.final !== flow.expected))
    return { notJudged: 'the balances do not match the reported outcomes (see that check)' };
  for (const [index, operation] of run.plan.operations.entries()) {
    const debit = debitOf(operation);
    if (!debit || reportedSuccess(run, index) !== false) continue;
    const flow = flows.get(debit.account)!;
    const floor = flow.final - flow.credits;
    if (floor < debit.amount) continue;
    const added =
      flow.credits > 0 ? `at most ${formatCount(flow.credits)} was added to it` : 'nothing was added to it';
    return fail(
      `${operation.label} resolved false, but ${debit.account} never held less than ${formatCount(floor)} during the run ` +
        `(it ends with ${formatCount(flow.final)} and ${added}): a withdrawal the balance covers must succeed`,
    );
  }
  return pass();
}

/** Transfers only move money: the total over all accounts is the same before and after. */
export function judgeConservation(run: BankRun): Judgement {
  const skipped = notFinished(run);
  if (skipped) return skipped;
  const flows = accountFlows(run);
  const before = flows.reduce((sum, flow) => sum + flow.initial, 0);
  const after = flows.reduce((sum, flow) => sum + flow.final, 0);
  if (before === after) return pass();
  const wrong = flows.find((flow) => flow.final !== flow.expected);
  const where = wrong
    ? `; account ${wrong.account} ends with ${formatCount(wrong.final)} where the transfers that reported success leave ${formatCount(wrong.expected)}`
    : '';
  const overlap = wrong ? describeOverlap(run.store.log, wrong.account, false) : null;
  return fail(
    `the ${flows.length} accounts held ${formatCount(before)} in all before the transfers and ${formatCount(after)} after: ` +
      `${formatCount(Math.abs(before - after))} ${after < before ? 'vanished' : 'appeared from nowhere'}${where}${overlap ? `. ${overlap}` : ''}`,
  );
}
