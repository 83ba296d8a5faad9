import type { ExerciseDefinition } from '../exercises/exercise-definition';
import { ConsoleBudget } from '../sandbox/console-budget';
import { GradingDeadline } from '../sandbox/grading-deadline';
import { GradingIsolate } from '../sandbox/grading-isolate';
import { isSandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import { transpileSubmission } from '../sandbox/transpile-submission';
import { assembleReport, type FatalOutcome } from './assemble-report';
import { CheckOutcomes } from './check-outcomes';
import type { GradeReport } from './grade-report';
import { DEFAULT_GRADERS_DIR, graderVersion, loadGrader } from './grader-modules';
import type { HiddenCheckScopes } from './hidden-check-scopes';
import { defaultSeedFor } from './seeded-random';
import { SandboxGraderContext } from './sandbox-grader-context';

export interface GradeSubmissionRequest {
  exercise: ExerciseDefinition;
  code: string;
  /** Default: derived from the code, so regrading the same file gives the same report. */
  seed?: string;
  /** Where graders/<name>/index lives; tests point it at their fixtures. */
  gradersDir?: string;
  /** Cores this job has to itself (the pool reserved them); 0 or absent when it shares the machine. */
  dedicatedCores?: number;
}

/**
 * Transpiles the submission, runs the exercise's grader against it and returns the report.
 * Runs inside a sandbox process; the submission itself only ever runs inside isolates.
 */
export async function gradeSubmission(request: GradeSubmissionRequest): Promise<GradeReport> {
  const startedAt = performance.now();
  const { exercise } = request;
  const gradersDir = request.gradersDir ?? DEFAULT_GRADERS_DIR;
  const seed = request.seed ?? defaultSeedFor(request.code);
  const consoleBudget = new ConsoleBudget(exercise.limits.maxConsoleBytes);
  // `graded`: once the grader has run, its checks, and the hidden checks' scopes for how they failed.
  const finish = (fatal?: FatalOutcome, graded?: { checks: CheckOutcomes; hidden: HiddenCheckScopes }) =>
    assembleReport({
      exercise,
      checks: graded?.hidden.withFailureKinds(graded.checks.results(), fatal),
      fatal,
      seed,
      durationMs: performance.now() - startedAt,
      graderVersion: graderVersion(gradersDir),
      console: consoleBudget.lines,
      hiddenConsole: consoleBudget.hiddenRanges,
    });

  // esbuild works in its own process: build the isolate meanwhile instead of waiting idle.
  const transpiling = transpileSubmission(request.code);
  const isolate = new GradingIsolate({ memoryMb: exercise.limits.memoryMb });
  const transpiled = await transpiling.catch((error: unknown) => {
    isolate.dispose();
    throw error;
  });
  if (!transpiled.ok) {
    isolate.dispose();
    return finish({ status: 'compile_error', ...transpiled.error });
  }

  const checks = new CheckOutcomes(exercise.checks);
  const context = new SandboxGraderContext(exercise, seed, {
    submission: transpiled.submission,
    isolate,
    deadline: new GradingDeadline(exercise.limits.timeoutMs),
    console: consoleBudget,
    dedicatedCores: request.dedicatedCores ?? 0,
  });
  const graded = { checks, hidden: context.hidden };
  try {
    await loadGrader(exercise.grader, gradersDir).grade(context, checks);
  } catch (error) {
    if (!isSandboxVerdictError(error) && !checks.unknownCheck) {
      return finish(
        {
          status: 'internal_error',
          message: `the grader failed: ${(error as Error)?.message ?? String(error)}`,
          hiddenCheck: context.hidden.graderErrorIn,
        },
        graded,
      );
    }
  } finally {
    isolate.dispose();
  }
  // Read after the grader returns: a grader that swallowed a verdict or a grader bug still ends as that status.
  if (checks.unknownCheck)
    return finish({ status: 'internal_error', message: checks.unknownCheck.message }, graded);
  const verdict = context.verdict;
  if (verdict)
    return finish(
      {
        status: verdict.status,
        message: verdict.message,
        location: verdict.location,
        hiddenCheck: context.verdictHiddenCheck,
      },
      graded,
    );
  return finish(undefined, graded);
}
