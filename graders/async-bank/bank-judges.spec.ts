import type { DriverRunEvidence, OperationRecord } from '../grader-api';
import {
  judgeBalancesMatchOutcomes,
  judgeConservation,
  judgeFinished,
  judgeNoLostDeposit,
  judgeNoOverdraft,
  judgeWithdrawWhenCovered,
  listWaiting,
} from './bank-judges';
import type { BankRun } from './bank-ledger';
import { deposit, transfer, withdraw, type BankOperation } from './bank-plans';
import type { StoreEvent, VirtualStore } from './bank-store';

type Reported = { value: unknown } | { rejected: string } | 'waiting';

/** A run as the host would have recorded it: each operation's report, the store's log and final balances. */
function bankRun(
  initial: Record<string, number>,
  operations: [BankOperation, Reported][],
  final: Record<string, number>,
  log: StoreEvent[] = [],
  end: DriverRunEvidence['end'] = 'completed',
): BankRun {
  const records = operations.map(([operation, reported], index): OperationRecord => ({
    index,
    label: operation.label,
    startedAtMs: 0,
    settledAtMs: reported === 'waiting' ? null : 10,
    outcome:
      reported === 'waiting'
        ? { kind: 'waiting' }
        : 'rejected' in reported
          ? { kind: 'rejected', message: reported.rejected }
          : { kind: 'resolved', value: reported.value },
  }));
  const evidence: DriverRunEvidence = {
    end,
    endedAtMs: 40,
    operations: records,
    waiting: records.filter((record) => record.settledAtMs === null),
    calls: [],
    unhandledRejections: [],
    marks: [],
    console: [],
  };
  const store = { log, balanceOf: (account: string) => final[account] ?? 0 } as unknown as VirtualStore;
  return {
    plan: { kind: 'mixed', what: 'a test', initial, operations: operations.map(([op]) => op) },
    evidence,
    store,
  };
}

const ok = (value: unknown = undefined): Reported => ({ value });
const read = (account: string, value: number, calledAtMs: number, atMs: number): StoreEvent => ({
  kind: 'read',
  account,
  value,
  calledAtMs,
  atMs,
});
const write = (account: string, value: number, calledAtMs: number, atMs: number): StoreEvent => ({
  kind: 'write',
  account,
  value,
  calledAtMs,
  atMs,
});

describe('judging whether every operation finished', () => {
  it('names the operations still waiting when nothing is left to happen: an async deadlock', () => {
    const run = bankRun(
      { a: 10, b: 10 },
      [
        [deposit('a', 1), ok()],
        [transfer('a', 'b', 5), 'waiting'],
        [transfer('b', 'a', 3), 'waiting'],
      ],
      {},
      [],
      'deadlock',
    );
    expect(judgeFinished(run, 'take the locks in one order')).toEqual({
      passed: false,
      message:
        'transfer(a → b, 5) and transfer(b → a, 3) are still waiting, and nothing is left to happen (no store call ' +
        'in flight, no timer): an async deadlock at 40 ms (1 of 3 operations had finished); take the locks in one order',
    });
  });

  it('says when operations were still waiting at the virtual time limit instead', () => {
    const run = bankRun({}, [[withdraw('a', 1), 'waiting']], {}, [], 'virtual-time-cap');
    expect(judgeFinished(run, 'hint')).toMatchObject({
      passed: false,
      message:
        'withdraw(a, 1) is still waiting after 40 ms of virtual time (0 of 1 operations had finished); hint',
    });
    expect(judgeFinished(bankRun({}, [[withdraw('a', 1), ok(false)]], {}), 'hint')).toEqual({ passed: true });
  });

  it('lists at most five labels and counts the rest', () => {
    expect(listWaiting(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a, b, c, d, e and f are');
    expect(listWaiting(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more operations are');
  });
});

describe('judging the balances', () => {
  const twoDeposits: [BankOperation, Reported][] = [
    [deposit('a', 5), ok()],
    [deposit('a', 7), ok()],
  ];

  it('finds a lost deposit and shows two reads of the same old balance', () => {
    const log = [read('a', 10, 0, 2), read('a', 10, 0, 3), write('a', 15, 3, 5), write('a', 17, 4, 6)];
    const verdict = judgeNoLostDeposit(bankRun({ a: 10 }, twoDeposits, { a: 17 }, log));
    expect(verdict).toMatchObject({ passed: false });
    expect((verdict as { message: string }).message).toBe(
      'account a ends with 17, but it started at 10 and 2 deposits added 12: 5 was lost. read(a) answered 10 at 2 ms ' +
        'and 10 at 3 ms with no write of a landing in between: two operations each computed a new balance from the ' +
        'same old one; hold the account from the read until the write has landed',
    );
    expect(judgeNoLostDeposit(bankRun({ a: 10 }, twoDeposits, { a: 22 }))).toEqual({ passed: true });
  });

  it('shows a read that answered while a write was still on its way', () => {
    const log = [read('a', 10, 0, 2), write('a', 15, 2, 6), read('a', 10, 2, 4), write('a', 17, 4, 7)];
    const log2 = [log[0], log[2], log[1], log[3]];
    const verdict = judgeNoLostDeposit(bankRun({ a: 10 }, twoDeposits, { a: 17 }, log2));
    expect((verdict as { message: string }).message).toContain(
      'read(a) answered 10 at 4 ms while write(a, 15), called at 2 ms, had not landed yet (it landed at 6 ms)',
    );
  });

  it('does not judge a run that never finished, but still catches a negative balance in it', () => {
    const stuck = bankRun({ a: 10 }, [[withdraw('a', 30), 'waiting']], { a: -20 }, [], 'deadlock');
    expect(judgeNoLostDeposit(stuck)).toEqual({
      notJudged: 'the run never finished (see the check on finishing)',
    });
    expect(judgeNoOverdraft(stuck)).toEqual({
      notJudged: 'the run never finished (see the check on finishing)',
    });
    const overdrawn = bankRun(
      { a: 10 },
      [[withdraw('a', 30), 'waiting']],
      { a: -20 },
      [write('a', -20, 1, 3)],
      'deadlock',
    );
    expect(judgeNoOverdraft(overdrawn)).toMatchObject({
      passed: false,
      message: expect.stringMatching(
        /^account a was set to -20 at 3 ms: it started at 10, and 0 withdrawals and transfers/,
      ),
    });
  });

  it('checks each final balance against the operations that reported success', () => {
    const operations: [BankOperation, Reported][] = [
      [withdraw('a', 30), ok(true)],
      [withdraw('a', 30), ok(false)],
      [transfer('a', 'b', 10), ok(true)],
    ];
    expect(judgeBalancesMatchOutcomes(bankRun({ a: 50 }, operations, { a: 10, b: 10 }))).toEqual({
      passed: true,
    });
    expect(judgeBalancesMatchOutcomes(bankRun({ a: 50 }, operations, { a: 20, b: 10 }))).toEqual({
      passed: false,
      message:
        'account a ends with 20, but the operations that reported success leave 10 (started at 50, +0 in, -40 out)',
    });
  });

  it('says which operation reported nothing usable', () => {
    const rejected = bankRun({}, [[withdraw('a', 3), { rejected: 'store down' }]], {});
    expect(judgeBalancesMatchOutcomes(rejected)).toEqual({
      passed: false,
      message: 'withdraw(a, 3) rejected with "store down"; it must resolve true or false',
    });
    const notBoolean = bankRun({}, [[withdraw('a', 3), ok('yes')]], {});
    expect(judgeBalancesMatchOutcomes(notBoolean)).toMatchObject({
      message: 'withdraw(a, 3) resolved with "yes", not true or false',
    });
  });
});

describe('judging declined withdrawals and transfers', () => {
  it('fails a false when the balance covered the amount at every moment of the run', () => {
    const run = bankRun(
      { a: 50 },
      [
        [withdraw('a', 25), ok(true)],
        [withdraw('a', 25), ok(false)],
      ],
      { a: 25 },
    );
    expect(judgeWithdrawWhenCovered(run)).toEqual({
      passed: false,
      message:
        'withdraw(a, 25) resolved false, but a never held less than 25 during the run (it ends with 25 and nothing ' +
        'was added to it): a withdrawal the balance covers must succeed',
    });
  });

  it('accepts a false that a deposit arriving later may explain', () => {
    const run = bankRun(
      { a: 20 },
      [
        [withdraw('a', 25), ok(false)],
        [deposit('a', 10), ok()],
      ],
      { a: 30 },
    );
    expect(judgeWithdrawWhenCovered(run)).toEqual({ passed: true });
  });

  it('leaves the judgement to the balances check when the balances do not add up', () => {
    const run = bankRun({ a: 50 }, [[withdraw('a', 25), ok(false)]], { a: 40 });
    expect(judgeWithdrawWhenCovered(run)).toEqual({
      notJudged: 'the balances do not match the reported outcomes (see that check)',
    });
  });
});

describe('judging that transfers conserve money', () => {
  it('compares the total before and after, and names an account that is off', () => {
    const operations: [BankOperation, Reported][] = [
      [transfer('b', 'a', 5), ok(true)],
      [transfer('c', 'a', 5), ok(true)],
    ];
    const log = [read('a', 0, 1, 3), read('a', 0, 2, 4), write('a', 5, 4, 6), write('a', 5, 5, 8)];
    expect(judgeConservation(bankRun({ b: 10, c: 10 }, operations, { a: 5, b: 5, c: 5 }, log))).toEqual({
      passed: false,
      message:
        'the 3 accounts held 20 in all before the transfers and 15 after: 5 vanished; account a ends with 5 where ' +
        'the transfers that reported success leave 10',
    });
    expect(judgeConservation(bankRun({ b: 10, c: 10 }, operations, { a: 10, b: 5, c: 5 }))).toEqual({
      passed: true,
    });
  });
});
