import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../src/grading/seeded-random';
import { parseAsyncBankSettings } from './async-bank-settings';
import {
  accountsOf,
  depositsPlan,
  mixedPlan,
  oppositeTransfersPlan,
  transfersPlan,
  withdrawalsPlan,
  type BankOperation,
} from './bank-plans';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'exercises', 'async-bank', 'exercise.json'), 'utf8'),
) as { settings: unknown };
const settings = parseAsyncBankSettings(manifest.settings);
const random = (stream: string) => seededRandom('plans', stream);
const on = (account: string) => (operation: BankOperation) => operation.args[0] === account;

describe('async-bank plans', () => {
  it('draws the same plan from the same stream', () => {
    expect(depositsPlan(random('d'), settings.deposits)).toEqual(
      depositsPlan(random('d'), settings.deposits),
    );
    expect(mixedPlan(random('m'), settings.hidden)).not.toEqual(mixedPlan(random('other'), settings.hidden));
  });

  it('starts three deposits on every account together, one account never written before', () => {
    for (const seed of ['1', '2', '3']) {
      const plan = depositsPlan(random(seed), settings.deposits);
      expect(accountsOf(plan)).toEqual(['a', 'b', 'c']);
      expect(Object.keys(plan.initial)).toEqual(['a', 'b']);
      for (const account of ['a', 'b', 'c']) {
        const deposits = plan.operations.filter(on(account));
        expect(deposits).toHaveLength(settings.deposits.perAccount);
        expect(deposits.slice(0, 3).map((operation) => operation.delayMs)).toEqual([0, 0, 0]);
      }
      expect(plan.what).toBe('24 deposits on 3 accounts');
    }
  });

  it('starts more withdrawals than the money covers, all at once; account a covers a whole number of them', () => {
    for (const seed of ['1', '2', '3']) {
      const plan = withdrawalsPlan(random(seed), settings.withdrawals);
      for (const account of ['a', 'b']) {
        const withdrawals = plan.operations.filter(on(account));
        const amount = withdrawals[0].args[1] as number;
        expect(
          withdrawals.every((operation) => operation.method === 'withdraw' && operation.delayMs === 0),
        ).toBe(true);
        expect(withdrawals.every((operation) => operation.args[1] === amount)).toBe(true);
        const covered = Math.floor(plan.initial[account] / amount);
        expect(covered).toBe(withdrawals.length - 2);
        if (account === 'a') expect(plan.initial.a % amount).toBe(0);
        else expect(plan.initial.b % amount).toBeGreaterThan(0);
      }
    }
  });

  it('sends several transfers from different accounts into one account at once', () => {
    const plan = transfersPlan(random('t'), settings.transfers);
    const intoHub = plan.operations.slice(0, settings.transfers.intoHub);
    expect(intoHub.map((operation) => [operation.method, operation.args[1], operation.delayMs])).toEqual(
      Array(settings.transfers.intoHub).fill(['transfer', 'a', 0]),
    );
    expect(new Set(intoHub.map((operation) => operation.args[0])).size).toBe(settings.transfers.intoHub);
    expect(plan.operations.every((operation) => operation.args[0] !== operation.args[1])).toBe(true);
  });

  it('starts opposite transfers right after deposits on every account they touch', () => {
    const plan = oppositeTransfersPlan(random('o'));
    expect(plan.operations.map((operation) => operation.label.replace(/\d+\)$/, 'n)'))).toEqual([
      'deposit(a, n)',
      'deposit(b, n)',
      'deposit(c, n)',
      'deposit(d, n)',
      'deposit(e, n)',
      'transfer(a → b, n)',
      'transfer(b → a, n)',
      'transfer(c → d, n)',
      'transfer(d → e, n)',
      'transfer(e → c, n)',
    ]);
  });

  it('refuses settings that cannot make the cases it promises', () => {
    const broken = { ...(manifest.settings as object), latencyMs: { min: 3, max: 3 } };
    expect(() => parseAsyncBankSettings(broken)).toThrow('latencyMs needs a range');
  });
});
