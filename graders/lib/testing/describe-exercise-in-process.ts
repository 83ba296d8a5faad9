import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { gradeInProcess, knownBadVariants } from './in-process-grading';

/**
 * The shared jest suite for a grader: on every seed the reference solution passes every check and
 * each known-bad variant fails every check its first line names. In process, on the virtual clock
 * double; test/exercises.spec.ts runs the same expectations through the real sandbox.
 */
export function describeExerciseInProcess(slug: string, seeds: readonly string[]): void {
  const exerciseDir = join(__dirname, '..', '..', '..', 'exercises', slug);

  describe(`${slug} graded in process`, () => {
    it.each(seeds)('passes the reference solution on every check (seed %s)', async (seed) => {
      const results = await gradeInProcess(exerciseDir, join(exerciseDir, 'solution.ts'), seed);
      const notPassed = results.filter((check) => check.status !== 'passed');
      expect(notPassed.map((check) => `${check.id}: ${check.status} ${check.message}`)).toEqual([]);
    });

    const cases = knownBadVariants(exerciseDir).flatMap((variant) =>
      seeds.map((seed) => ({ ...variant, seed })),
    );
    it.each(cases)('fails $file on $expectFail (seed $seed)', async ({ path, expectFail, seed }) => {
      const results = await gradeInProcess(exerciseDir, path, seed);
      const named = results.filter((check) => expectFail.includes(check.id));
      expect(named.map((check) => check.id).sort()).toEqual([...expectFail].sort());
      expect(
        named.filter((check) => check.status !== 'failed').map((check) => `${check.id}: ${check.status}`),
      ).toEqual([]);
      for (const check of named) expect(check.message).not.toBe('');
    });
  });
}
