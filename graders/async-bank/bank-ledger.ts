import type { DriverRunEvidence } from '../grader-api';
import { describeValue } from '../lib/format';
import { accountsOf, type BankOperation, type BankPlan } from './bank-plans';
import type { VirtualStore } from './bank-store';

/** One planned bank run as the host saw it: the plan, the driver's evidence and the store's log. */
export interface BankRun {
  plan: BankPlan;
  evidence: DriverRunEvidence;
  store: VirtualStore;
}

/** What the operations that reported success should have done to one account. */
export interface AccountFlow {
  account: string;
  initial: number;
  /** Deposits, and transfers in that reported success. */
  credits: number;
  /** Withdrawals and transfers out that reported success. */
  debits: number;
  expected: number;
  final: number;
}

/**
 * What an operation reported: true for a deposit that resolved, the boolean a withdraw or transfer
 * resolved with, or a sentence when it reported nothing usable (rejected, not a boolean, never ended).
 */
export function reportedSuccess(run: BankRun, index: number): boolean | string {
  const operation = run.plan.operations[index];
  const { outcome } = run.evidence.operations[index];
  if (outcome.kind === 'waiting') return `${operation.label} never finished`;
  if (outcome.kind === 'rejected')
    return `${operation.label} rejected with "${outcome.message}"; it must resolve${operation.method === 'deposit' ? '' : ' true or false'}`;
  if (operation.method === 'deposit') return true;
  if (typeof outcome.value === 'boolean') return outcome.value;
  return `${operation.label} resolved with ${describeValue(outcome.value)}, not true or false`;
}

/** The first operation that reported nothing usable, as a sentence; null when every one did. */
export function firstUnusableReport(run: BankRun): string | null {
  for (let index = 0; index < run.plan.operations.length; index++) {
    const reported = reportedSuccess(run, index);
    if (typeof reported === 'string') return reported;
  }
  return null;
}

function moves(operation: BankOperation): { from?: string; to?: string; amount: number } {
  if (operation.method === 'transfer')
    return { from: operation.args[0], to: operation.args[1], amount: operation.args[2] };
  const [account, amount] = operation.args;
  return operation.method === 'deposit' ? { to: account, amount } : { from: account, amount };
}

/** Each account's flow by the operations' own reports; call only when every report is usable. */
export function accountFlows(run: BankRun): AccountFlow[] {
  const flows = new Map(
    accountsOf(run.plan).map((account) => {
      const initial = run.plan.initial[account] ?? 0;
      const final = run.store.balanceOf(account);
      return [account, { account, initial, credits: 0, debits: 0, expected: initial, final }];
    }),
  );
  run.plan.operations.forEach((operation, index) => {
    if (reportedSuccess(run, index) !== true) return;
    const { from, to, amount } = moves(operation);
    if (from !== undefined) flows.get(from)!.debits += amount;
    if (to !== undefined) flows.get(to)!.credits += amount;
  });
  return [...flows.values()].map((flow) => ({
    ...flow,
    expected: flow.initial + flow.credits - flow.debits,
  }));
}

/** The account an operation would take money from, if any, and how much. */
export function debitOf(operation: BankOperation): { account: string; amount: number } | null {
  const { from, amount } = moves(operation);
  return from === undefined ? null : { account: from, amount };
}
