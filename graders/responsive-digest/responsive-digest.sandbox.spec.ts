/**
 * responsive-digest through the real sandbox (SandboxPool -> sandbox process -> the compiled
 * grader in dist/; run `npm run build` first): other correct ways to yield pass, and each failure
 * carries its evidence in the student's terms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../../src/grading/grade-report';
import { SandboxPool } from '../../src/sandbox/sandbox-pool';

const EXERCISE_DIR = join(__dirname, '..', '..', 'exercises', 'responsive-digest');
const N = String.raw`[\d,]+`;
const ALL_AT_ONCE = String.raw`^case 1 of 3 \(150 items\): all 150 digests ran one after another \(from 0 ms to 600 ms\) without the event loop running a single timer; at most 2 may run`;

/** For each known-bad file: the message each named check must fail with. */
const EXPECTED_MESSAGES: Record<string, Record<string, string>> = {
  'async-map.ts': { 'loop-stays-responsive': ALL_AT_ONCE },
  'await-null.ts': { 'loop-stays-responsive': ALL_AT_ONCE },
  'await-promise-resolve.ts': { 'loop-stays-responsive': ALL_AT_ONCE },
  'queue-microtask-yield.ts': { 'loop-stays-responsive': ALL_AT_ONCE },
  'plain-loop.ts': { 'loop-stays-responsive': ALL_AT_ONCE },
  'yields-every-hundred.ts': {
    'loop-stays-responsive': String.raw`^case 1 of 3 \(150 items\): 100 digests \(items 0 to 99\) ran between two heartbeat ticks \(from 0 ms to 400 ms\)`,
  },
  'slow-yield.ts': {
    'total-time': String.raw`^case 1 of 3 \(150 items\): took ${N} ms of virtual time; 150 digests of 4 ms each take 600 ms one after another, so at most 1,220 ms is allowed`,
  },
  'pops-from-the-end.ts': {
    'results-in-order': String.raw`^case 1 of 3 \(150 items\): result 0 should be digest\("item-0-[0-9a-f]{6}"\) = "[0-9a-f]{8}" but is "[0-9a-f]{8}": the results are in reverse order$`,
  },
  'digests-twice.ts': {
    'digest-once': String.raw`^case 1 of 3 \(150 items\): digest\("item-0-[0-9a-f]{6}"\) was called 2 times, and 149 other items more than once too`,
  },
  'never-resolves-on-empty.ts': {
    'empty-list': String.raw`^digestAll never settled: its promise was still pending with nothing left to happen \(no timer, no digest to run\) for an empty list`,
  },
};

const badFiles = readdirSync(join(EXERCISE_DIR, 'bad'))
  .filter((file) => file.endsWith('.ts'))
  .sort();

function failedMessages(report: GradeReport): Record<string, string> {
  return Object.fromEntries(
    report.checks.filter((check) => check.status !== 'passed').map((check) => [check.id, check.message]),
  );
}

describe('responsive-digest graded in the sandbox', () => {
  const pool = new SandboxPool({ size: 1 });
  afterAll(() => pool.close());

  it('names an expected message for every known-bad variant', () => {
    expect(Object.keys(EXPECTED_MESSAGES).sort()).toEqual(badFiles);
  });

  it('passes the reference, reporting the most digests between ticks and the time taken', async () => {
    const code = readFileSync(join(EXERCISE_DIR, 'solution.ts'), 'utf8');
    const report = await pool.grade({ exercise: 'responsive-digest', code, seed: '1' });
    expect({ status: report.status, failed: failedMessages(report) }).toEqual({
      status: 'passed',
      failed: {},
    });
    const messages = Object.fromEntries(report.checks.map((check) => [check.id, check.message]));
    expect(messages['loop-stays-responsive']).toMatch(
      /^case 1 of 3 \(150 items\): at most 1 digest between heartbeat ticks \(\d+ ticks until digestAll resolved\)/,
    );
    expect(messages['total-time']).toMatch(/^case 1 of 3 \(150 items\): took 600 ms of virtual time;/);
  });

  it.each(['timers-promises-timeout.ts', 'two-per-turn.ts', 'callback-chain.ts'])(
    'passes another correct way to yield: %s',
    async (file) => {
      const code = readFileSync(join(__dirname, '__fixtures__', file), 'utf8');
      const report = await pool.grade({ exercise: 'responsive-digest', code, seed: '2' });
      expect({ status: report.status, failed: failedMessages(report) }).toEqual({
        status: 'passed',
        failed: {},
      });
    },
  );

  it.each(badFiles)('fails %s with the evidence in the message', async (file) => {
    const code = readFileSync(join(EXERCISE_DIR, 'bad', file), 'utf8');
    const report = await pool.grade({ exercise: 'responsive-digest', code, seed: '3' });
    expect(report.status).toBe('failed');
    const messages = failedMessages(report);
    for (const [checkId, pattern] of Object.entries(EXPECTED_MESSAGES[file])) {
      expect({ checkId, message: messages[checkId] }).toEqual({
        checkId,
        message: expect.stringMatching(new RegExp(pattern)),
      });
    }
  });
});
