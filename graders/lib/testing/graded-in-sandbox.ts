import { describe, expect, it, afterAll } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../../../src/grading/grade-report';
import { SandboxPool } from '../../../src/sandbox/sandbox-pool';

/**
 * The reference solution and every known-bad variant of an exercise graded through the real
 * sandbox (SandboxPool -> sandbox process -> the compiled grader in dist/; run `npm run build`
 * first). Where test/exercises.spec.ts checks which checks fail, this checks that each failure
 * message carries the evidence a student needs: `expected` names, for each bad file, the message
 * each named check must fail with, and `passMessages` what the reference's checks say they saw.
 */
export function describeMessagesInSandbox(
  slug: string,
  expected: Record<string, Record<string, RegExp>>,
  passMessages: Record<string, RegExp>,
  seed = 'messages-1',
): void {
  const exerciseDir = join(__dirname, '..', '..', '..', 'exercises', slug);
  const badFiles = readdirSync(join(exerciseDir, 'bad'))
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const messagesOf = (report: GradeReport) =>
    Object.fromEntries(report.checks.map((check) => [check.id, `${check.status}: ${check.message ?? ''}`]));

  describe(`${slug} graded in the sandbox`, () => {
    const pool = new SandboxPool({ size: 1 });
    afterAll(() => pool.close());

    it('names an expected message for every known-bad variant', () => {
      expect(Object.keys(expected).sort()).toEqual(badFiles);
    });

    it('passes the reference solution on every check, with what it measured', async () => {
      const code = readFileSync(join(exerciseDir, 'solution.ts'), 'utf8');
      const report = await pool.grade({ exercise: slug, code, seed });
      expect({ status: report.status, score: report.score }).toEqual({
        status: 'passed',
        score: report.maxScore,
      });
      const messages = messagesOf(report);
      for (const [checkId, pattern] of Object.entries(passMessages))
        expect({ checkId, message: messages[checkId] }).toEqual({
          checkId,
          message: expect.stringMatching(new RegExp(`^passed: ${pattern.source.replace(/^\^/, '')}`)),
        });
    });

    it.each(badFiles)('fails %s with the evidence in the message', async (file) => {
      const code = readFileSync(join(exerciseDir, 'bad', file), 'utf8');
      const report = await pool.grade({ exercise: slug, code, seed });
      expect(report.status).toBe('failed');
      const messages = messagesOf(report);
      for (const [checkId, pattern] of Object.entries(expected[file] ?? {}))
        expect({ checkId, message: messages[checkId] }).toEqual({
          checkId,
          message: expect.stringMatching(new RegExp(`^failed: ${pattern.source.replace(/^\^/, '')}`)),
        });
    });
  });
}
