/**
 * async-bank through the real sandbox (SandboxPool -> sandbox process -> the compiled grader in
 * dist/; run `npm run build` first). Where test/exercises.spec.ts checks which checks fail, this
 * checks that other correct designs pass, and that each failure carries its evidence, the schedule
 * that showed it and the command that replays the grading.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../../src/grading/grade-report';
import { SandboxPool } from '../../src/sandbox/sandbox-pool';

const EXERCISE_DIR = join(__dirname, '..', '..', 'exercises', 'async-bank');
const SEED = 'messages-1';
const SCHEDULE = String.raw`on schedule [1-6] of 6 \(seed [0-9a-f]{8}\)`;
const REPLAY = String.raw`\(replay it with: npx lockstep grade --exercise async-bank <your file> --seed ${SEED}\)$`;
const N = String.raw`-?[\d,]+`;

/** For each known-bad file: what each named check's message must say after "<case>, on schedule …: ". */
const EXPECTED_MESSAGES: Record<string, Record<string, string>> = {
  'check-then-act.ts': {
    'no-overdraft': `account [ab] was set to -${N} at ${N} ms: it started at ${N}, and ${N} withdrawals and transfers from it reported success`,
  },
  'declines-exact-balance.ts': {
    'withdraw-when-covered': String.raw`withdraw\(a, (\d+)\) resolved false, but a never held less than \1 during the run \(it ends with \1 and nothing was added to it\)`,
  },
  'lock-kept-on-declined-withdraw.ts': {
    'operations-finish': String.raw`.* (is|are) still waiting, and nothing is left to happen \(no store call in flight, no timer\): an async deadlock at ${N} ms`,
  },
  'locks-in-argument-order.ts': {
    'opposite-transfers-finish': String.raw`(transfer\([a-e] → [a-e], \d+\)(, | and ))+transfer\([a-e] → [a-e], \d+\) are still waiting, and nothing is left to happen`,
  },
  'no-locking.ts': {
    'no-lost-deposit': `account [abc] ends with ${N}, but it started at ${N} and 8 deposits added ${N}: ${N} was lost\\. read\\([abc]\\) answered`,
    'transfers-conserve-money': `the 6 accounts held ${N} in all before the transfers and ${N} after`,
  },
  'optimistic-withdraw.ts': { 'no-overdraft': `account [ab] was set to -${N}` },
  'transfer-locks-only-source.ts': {
    'transfers-conserve-money': `the 6 accounts held ${N} in all before the transfers and ${N} after: ${N} vanished`,
  },
  'transfer-reenters-global-lock.ts': {
    'opposite-transfers-finish': String.raw`transfer\(a → b, \d+\), transfer\(b → a, \d+\), .* are still waiting`,
  },
  'write-not-awaited.ts': {
    'no-lost-deposit': String.raw`account [abc] ends with ${N}, .* was lost\. read\([abc]\) answered ${N} at ${N} ms while write\([abc], ${N}\), called at ${N} ms, had not landed yet`,
  },
};

const badFiles = readdirSync(join(EXERCISE_DIR, 'bad'))
  .filter((file) => file.endsWith('.ts'))
  .sort();

function failedMessages(report: GradeReport): Record<string, string> {
  return Object.fromEntries(
    report.checks.filter((check) => check.status === 'failed').map((check) => [check.id, check.message]),
  );
}

describe('async-bank graded in the sandbox', () => {
  const pool = new SandboxPool({ size: 1 });
  afterAll(() => pool.close());

  it('names an expected message for every known-bad variant', () => {
    expect(Object.keys(EXPECTED_MESSAGES).sort()).toEqual(badFiles);
  });

  it.each(['one-lock-for-the-bank.ts', 'mutex-per-account.ts'])(
    'passes another correct design: %s',
    async (file) => {
      const code = readFileSync(join(__dirname, '__fixtures__', file), 'utf8');
      for (const seed of ['1', '2']) {
        const report = await pool.grade({ exercise: 'async-bank', code, seed });
        expect({ seed, status: report.status, failed: failedMessages(report) }).toEqual({
          seed,
          status: 'passed',
          failed: {},
        });
      }
    },
  );

  it.each(badFiles)('fails %s with the evidence, the schedule and the replay command', async (file) => {
    const code = readFileSync(join(EXERCISE_DIR, 'bad', file), 'utf8');
    const report = await pool.grade({ exercise: 'async-bank', code, seed: SEED });
    expect(report.status).toBe('failed');
    const messages = failedMessages(report);
    for (const [checkId, evidence] of Object.entries(EXPECTED_MESSAGES[file])) {
      expect({ checkId, message: messages[checkId] }).toEqual({
        checkId,
        message: expect.stringMatching(new RegExp(`^[^:]+, ${SCHEDULE}: ${evidence}.*${REPLAY}`)),
      });
    }
  });
});
