/**
 * barrier through the real sandbox (SandboxPool -> sandbox process -> the compiled grader in dist/;
 * run `npm run build` first). graded-in-sandbox.spec.ts checks the reference and each known-bad
 * variant; this checks that correct barriers of other designs pass every check, controlled runs
 * included, and that a controlled counterexample replays exactly from the grading's seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../../src/grading/grade-report';
import { SandboxPool } from '../../src/sandbox/sandbox-pool';

const EXERCISE_DIR = join(__dirname, '..', '..', 'exercises', 'barrier');

function failedMessages(report: GradeReport): Record<string, string> {
  return Object.fromEntries(
    report.checks.filter((check) => check.status === 'failed').map((check) => [check.id, check.message]),
  );
}

describe('barrier graded in the sandbox: other designs and replay', () => {
  const pool = new SandboxPool({ size: 1 });
  afterAll(() => pool.close());

  it.each(['sense-reversing.ts', 'one-cell-generation.ts', 'first-arrival-wins.ts'])(
    'passes another correct design: %s',
    async (file) => {
      const code = readFileSync(join(__dirname, '__fixtures__', file), 'utf8');
      for (const seed of ['1', '2']) {
        const report = await pool.grade({ exercise: 'barrier', code, seed });
        expect({ seed, status: report.status, failed: failedMessages(report) }).toEqual({
          seed,
          status: 'passed',
          failed: {},
        });
      }
    },
  );

  it('replays a controlled counterexample exactly from the seed: the same run, schedule and steps', async () => {
    const code = readFileSync(join(EXERCISE_DIR, 'bad', 'counter-reset-race.ts'), 'utf8');
    const first = await pool.grade({ exercise: 'barrier', code, seed: 'replay-me' });
    const again = await pool.grade({ exercise: 'barrier', code, seed: 'replay-me' });
    const reusable = (report: GradeReport) => failedMessages(report).reusable;
    expect(reusable(first)).toMatch(
      / deadlock on controlled run \d+ of \d+ \(.*\) with \d parties, .* Last steps: /,
    );
    expect(reusable(again)).toBe(reusable(first));
    expect(first.replay).toBe('npx lockstep grade --exercise barrier solution.ts --seed replay-me');
  });
});
