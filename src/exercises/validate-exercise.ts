import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GradeReport } from '../grading/grade-report';
import { loadExercise } from './exercise-catalog';
import type { ExerciseDefinition } from './exercise-definition';
import { knownBadVariants, type KnownBadVariant } from './known-bad-variants';

/** The brief asks for at least this many known-bad variants per exercise. */
export const MIN_KNOWN_BAD_VARIANTS = 6;

export interface ValidationOptions {
  /** Grades one file the way the server does (a SandboxPool). */
  grade(request: { exercise: string; code: string; seed: string }): Promise<GradeReport>;
  /** Every file is graded once per seed. */
  seeds: string[];
  /** Called as each grading is judged, for progress output. */
  onGraded?(graded: ValidatedGrading): void;
}

/** One file graded with one seed, and whether it did what the folder says it should. */
export interface ValidatedGrading {
  /** `solution.ts`, `starter.ts` or `bad/<file>`. */
  file: string;
  seed: string;
  report: GradeReport;
  /** Null when the grading is as it should be. */
  problem: string | null;
}

export interface ExerciseValidation {
  slug: string;
  /** Problems with the folder itself (missing files, too few known-bad variants, unknown check ids). */
  folderProblems: string[];
  gradings: ValidatedGrading[];
  /** True when the folder is sound and every grading did what it should. */
  ok: boolean;
}

/**
 * What an instructor runs on a new exercise folder (docs/authoring.md): the reference solution
 * passes every check on every seed, every known-bad variant fails every check its first line names
 * on every seed, and the starter compiles. The grader must be built (`npm run build`).
 */
export async function validateExercise(
  dir: string,
  slug: string,
  options: ValidationOptions,
): Promise<ExerciseValidation> {
  const folderProblems: string[] = [];
  let exercise: ExerciseDefinition;
  try {
    exercise = loadExercise(dir, slug);
  } catch (error) {
    return { slug, folderProblems: [(error as Error).message], gradings: [], ok: false };
  }
  let variants: KnownBadVariant[] = [];
  try {
    variants = knownBadVariants(dir);
  } catch (error) {
    folderProblems.push((error as Error).message);
  }
  folderProblems.push(...folderShapeProblems(dir, exercise, variants));

  const gradings: ValidatedGrading[] = [];
  const judge = async (
    file: string,
    code: string,
    seed: string,
    check: (report: GradeReport) => string | null,
  ) => {
    const report = await options.grade({ exercise: slug, code, seed });
    const graded = { file, seed, report, problem: check(report) };
    gradings.push(graded);
    options.onGraded?.(graded);
  };
  const solution = readFileSync(join(dir, 'solution.ts'), 'utf8');
  for (const seed of options.seeds) await judge('solution.ts', solution, seed, referenceProblem);
  for (const variant of variants)
    for (const seed of options.seeds)
      await judge(`bad/${variant.file}`, variant.code, seed, (report) =>
        knownBadProblem(report, variant.expectFail),
      );
  await judge('starter.ts', exercise.starter, options.seeds[0], starterProblem);
  return {
    slug,
    folderProblems,
    gradings,
    ok: folderProblems.length === 0 && gradings.every((g) => g.problem === null),
  };
}

function folderShapeProblems(
  dir: string,
  exercise: ExerciseDefinition,
  variants: KnownBadVariant[],
): string[] {
  const problems: string[] = [];
  if (!existsSync(join(dir, 'solution.ts')))
    problems.push('solution.ts is missing: every exercise has a reference solution');
  if (variants.length < MIN_KNOWN_BAD_VARIANTS)
    problems.push(
      `bad/ has ${variants.length} known-bad variants; write at least ${MIN_KNOWN_BAD_VARIANTS}, one per mistake the brief lists`,
    );
  const ids = new Set(exercise.checks.map((check) => check.id));
  for (const variant of variants) {
    const unknown = variant.expectFail.filter((id) => !ids.has(id));
    if (unknown.length > 0)
      problems.push(`bad/${variant.file} names checks exercise.json does not define: ${unknown.join(', ')}`);
  }
  return problems;
}

function referenceProblem(report: GradeReport): string | null {
  if (report.status === 'passed') return null;
  if (report.error) return `the reference solution ended as ${report.status}: ${report.error.message}`;
  const failed = report.checks.filter((check) => check.status !== 'passed');
  return `the reference solution did not pass ${failed.map((check) => `${check.id} (${check.message || check.status})`).join('; ')}`;
}

function knownBadProblem(report: GradeReport, expectFail: string[]): string | null {
  if (report.status === 'passed') return 'passed every check: a known-bad variant must fail';
  if (report.error)
    return `ended as ${report.status} (${report.error.message}): a known-bad variant should fail its checks, not end grading`;
  const notFailed = expectFail.filter(
    (id) => report.checks.find((check) => check.id === id)?.status !== 'failed',
  );
  return notFailed.length === 0 ? null : `did not fail ${notFailed.join(', ')}, which its first line names`;
}

function starterProblem(report: GradeReport): string | null {
  return report.status === 'compile_error'
    ? `the starter does not compile: ${report.error?.message ?? ''}`
    : null;
}
