/**
 * Every exercise folder, graded through the real pipeline (SandboxPool -> sandbox processes ->
 * the compiled graders in dist/; `npm test` builds first): the reference solution passes every
 * check on every seed, and each known-bad variant fails every check its first line names.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { knownBadVariants } from '../src/exercises/known-bad-variants';
import { MIN_KNOWN_BAD_VARIANTS } from '../src/exercises/validate-exercise';
import { join, resolve } from 'node:path';
import { SandboxPool } from '../src/sandbox/sandbox-pool';

const EXERCISES_DIR = resolve(__dirname, '..', 'exercises');
const SEEDS = ['1', '2', 'lockstep-3'];

function exerciseSlugs(): string[] {
  return readdirSync(EXERCISES_DIR)
    .filter((entry) => existsSync(join(EXERCISES_DIR, entry, 'exercise.json')))
    .sort();
}

function badVariants(slug: string): { file: string; code: string; expectFail: string[] }[] {
  return knownBadVariants(join(EXERCISES_DIR, slug));
}

describe('exercises graded through the sandbox', () => {
  const pool = new SandboxPool({ size: 2 });
  afterAll(() => pool.close());

  describe.each(exerciseSlugs())('%s', (slug) => {
    const solution = readFileSync(join(EXERCISES_DIR, slug, 'solution.ts'), 'utf8');

    it.each(SEEDS)('passes the reference solution on every check (seed %s)', async (seed) => {
      const report = await pool.grade({ exercise: slug, code: solution, seed });
      const notPassed = report.checks.filter((check) => check.status !== 'passed');
      expect({ status: report.status, error: report.error, notPassed }).toEqual({
        status: 'passed',
        error: undefined,
        notPassed: [],
      });
      expect(report.score).toBe(report.maxScore);
    });

    it(`has at least ${MIN_KNOWN_BAD_VARIANTS} known-bad variants`, () => {
      expect(badVariants(slug).length).toBeGreaterThanOrEqual(MIN_KNOWN_BAD_VARIANTS);
    });

    const cases = badVariants(slug).flatMap((variant) => SEEDS.map((seed) => ({ ...variant, seed })));
    it.each(cases)('fails bad/$file on $expectFail (seed $seed)', async ({ code, expectFail, seed }) => {
      const report = await pool.grade({ exercise: slug, code, seed });
      expect(report.status).toBe('failed');
      const named = report.checks.filter((check) => expectFail.includes(check.id));
      expect(named.map((check) => check.id).sort()).toEqual([...expectFail].sort());
      const notFailed = named.filter((check) => check.status !== 'failed');
      expect(notFailed).toEqual([]);
      for (const check of named) expect(check.message).not.toBe('');
    });
  });
});
