import { randomInt, type Random } from '../lib/latency-plan';
import type { AsyncBankSettings } from './async-bank-settings';

/**
 * What one bank run does: the store's starting balances and the operations the driver starts on one
 * Bank, each at a virtual time. Every plan is drawn from a named random stream, so a grading seed
 * replays it, and each is shaped so that its mistake shows on every seed (see each builder).
 */
export type BankOperation =
  | { label: string; method: 'deposit' | 'withdraw'; args: [string, number]; delayMs: number }
  | { label: string; method: 'transfer'; args: [string, string, number]; delayMs: number };

export type PlanKind = 'deposits' | 'withdrawals' | 'transfers' | 'opposite-transfers' | 'mixed';

export interface BankPlan {
  kind: PlanKind;
  /** For messages: "24 deposits on 3 accounts". */
  what: string;
  /** Balances in the store before the run; an account not listed was never written and reads 0. */
  initial: Record<string, number>;
  operations: BankOperation[];
}

export const deposit = (account: string, amount: number, delayMs = 0): BankOperation => ({
  label: `deposit(${account}, ${amount})`,
  method: 'deposit',
  args: [account, amount],
  delayMs,
});
export const withdraw = (account: string, amount: number, delayMs = 0): BankOperation => ({
  label: `withdraw(${account}, ${amount})`,
  method: 'withdraw',
  args: [account, amount],
  delayMs,
});
export const transfer = (from: string, to: string, amount: number, delayMs = 0): BankOperation => ({
  label: `transfer(${from} → ${to}, ${amount})`,
  method: 'transfer',
  args: [from, to, amount],
  delayMs,
});

const ACCOUNTS = 'abcdefghijklmnopqrstuvwxyz';

function shuffled<T>(random: Random, items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Concurrent deposits on each account: the first three start together, so unlocked read-then-write loses one. */
export function depositsPlan(random: Random, spec: AsyncBankSettings['deposits']): BankPlan {
  const accounts = [...ACCOUNTS.slice(0, spec.accounts)];
  // The last account is never written before the run: it reads as 0.
  const initial = Object.fromEntries(
    accounts.slice(0, -1).map((account) => [account, randomInt(random, 0, 50)]),
  );
  const operations = accounts.flatMap((account) =>
    Array.from({ length: spec.perAccount }, (_, i) =>
      deposit(account, randomInt(random, 1, 20), i < 3 ? 0 : randomInt(random, 0, 20)),
    ),
  );
  return {
    kind: 'deposits',
    what: `${operations.length} deposits on ${accounts.length} accounts`,
    initial,
    operations,
  };
}

/**
 * Withdrawals that the balance cannot all cover, started together: account a holds exactly k times
 * the amount (so the k-th withdrawal takes the last of it), account b a little more; account c mixes
 * deposits and withdrawals of any size.
 */
export function withdrawalsPlan(random: Random, spec: AsyncBankSettings['withdrawals']): BankPlan {
  const exact = randomInt(random, 5, 30);
  const loose = randomInt(random, 5, 30);
  const covered = spec.perAccount - 2;
  const initial = {
    a: exact * covered,
    b: loose * covered + randomInt(random, 1, loose - 1),
    c: randomInt(random, 20, 60),
  };
  const mixed = Array.from({ length: spec.mixed }, (_, i) =>
    i % 3 === 0
      ? deposit('c', randomInt(random, 1, 30), randomInt(random, 0, 20))
      : withdraw('c', randomInt(random, 5, 40), randomInt(random, 0, 20)),
  );
  const operations = shuffled(random, [
    ...Array.from({ length: spec.perAccount }, () => withdraw('a', exact)),
    ...Array.from({ length: spec.perAccount }, () => withdraw('b', loose)),
    ...mixed,
  ]);
  return {
    kind: 'withdrawals',
    what: `${operations.length} withdrawals and deposits on 3 accounts`,
    initial,
    operations,
  };
}

/**
 * Transfers between accounts in both directions, some bigger than the balance, plus several
 * transfers from different accounts into one "hub" account at once: a transfer that does not hold
 * the destination while it credits it loses one of them.
 */
export function transfersPlan(random: Random, spec: AsyncBankSettings['transfers']): BankPlan {
  const accounts = [...ACCOUNTS.slice(0, spec.accounts)];
  const hub = accounts[0];
  const initial = Object.fromEntries(accounts.map((account) => [account, randomInt(random, 20, 80)]));
  const intoHub = accounts
    .slice(1, spec.intoHub + 1)
    .map((from) => transfer(from, hub, randomInt(random, 1, 15)));
  const others = Array.from({ length: spec.transfers }, () => {
    const from = accounts[randomInt(random, 0, accounts.length - 1)];
    const to = accounts.filter((account) => account !== from)[randomInt(random, 0, accounts.length - 2)];
    return transfer(from, to, randomInt(random, 5, 60), randomInt(random, 0, 25));
  });
  const operations = [...intoHub, ...shuffled(random, others)];
  return {
    kind: 'transfers',
    what: `${operations.length} transfers between ${accounts.length} accounts`,
    initial,
    operations,
  };
}

/**
 * Transfers in opposite directions (a → b with b → a, and a cycle c → d → e → c), each started
 * while a deposit holds its first account: every transfer then waits for its first lock while
 * another holds its second, which deadlocks locks taken in argument order on every seed.
 */
export function oppositeTransfersPlan(random: Random): BankPlan {
  const amount = () => randomInt(random, 1, 20);
  const initial = { a: 50, b: 50, c: 50, d: 50, e: 50 };
  const operations = [
    ...['a', 'b', 'c', 'd', 'e'].map((account) => deposit(account, amount())),
    transfer('a', 'b', amount()),
    transfer('b', 'a', amount()),
    transfer('c', 'd', amount()),
    transfer('d', 'e', amount()),
    transfer('e', 'c', amount()),
  ];
  return { kind: 'opposite-transfers', what: 'transfers in opposite directions', initial, operations };
}

/** Every kind of operation on a few accounts, at random times. */
export function mixedPlan(random: Random, spec: AsyncBankSettings['hidden']): BankPlan {
  const accounts = [...ACCOUNTS.slice(0, spec.accounts)];
  const initial = Object.fromEntries(
    accounts.slice(1).map((account) => [account, randomInt(random, 0, 100)]),
  );
  const pick = () => accounts[randomInt(random, 0, accounts.length - 1)];
  const operations = Array.from({ length: spec.operations }, (_, i): BankOperation => {
    const delayMs = i < 4 ? 0 : randomInt(random, 0, 40);
    const kind = randomInt(random, 0, 2);
    if (kind === 0) return deposit(pick(), randomInt(random, 1, 40), delayMs);
    if (kind === 1) return withdraw(pick(), randomInt(random, 1, 60), delayMs);
    const from = pick();
    const to = accounts.filter((account) => account !== from)[randomInt(random, 0, accounts.length - 2)];
    return transfer(from, to, randomInt(random, 1, 60), delayMs);
  });
  return {
    kind: 'mixed',
    what: `${operations.length} operations of every kind on ${accounts.length} accounts`,
    initial,
    operations,
  };
}

/** Every account a plan touches or starts with, in name order. */
export function accountsOf(plan: BankPlan): string[] {
  const named = plan.operations.flatMap((operation) =>
    operation.method === 'transfer' ? [operation.args[0], operation.args[1]] : [operation.args[0]],
  );
  return [...new Set([...Object.keys(plan.initial), ...named])].sort();
}
