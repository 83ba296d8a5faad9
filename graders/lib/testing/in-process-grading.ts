import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckStatus } from '../../../src/grading/grade-report';
import type { CheckDefinition, ExerciseManifest } from '../../../src/exercises/exercise-definition';
import type { CheckRecorder, ExerciseGrader, GraderContext } from '../../grader-api';
import { runOnVirtualClock } from './in-process-virtual-clock';
import { seededRandom } from './seeded-random';

/**
 * Grades a submission module in this process with the exercise's real grader and the virtual
 * clock double: fast feedback on the graders while the sandbox is elsewhere. Jest's transform
 * loads the TypeScript submission (solution.ts, bad/*.ts) directly.
 */
export interface InProcessCheckResult extends CheckDefinition {
  status: CheckStatus;
  message: string;
}

export function readManifest(exerciseDir: string): ExerciseManifest {
  return JSON.parse(readFileSync(join(exerciseDir, 'exercise.json'), 'utf8')) as ExerciseManifest;
}

export async function gradeInProcess(
  exerciseDir: string,
  submissionPath: string,
  seed: string,
): Promise<InProcessCheckResult[]> {
  const manifest = readManifest(exerciseDir);
  const grader = (require(join(__dirname, '..', '..', manifest.grader)) as { default: ExerciseGrader })
    .default;
  const submission = require(submissionPath) as Record<string, unknown>;

  const recorded = new Map<string, { status: CheckStatus; message: string }>();
  const known = new Set(manifest.checks.map((check) => check.id));
  const record = (id: string, status: CheckStatus, message: string) => {
    if (!known.has(id)) throw new Error(`grader recorded check "${id}", which exercise.json does not define`);
    if (recorded.has(id)) throw new Error(`grader recorded check "${id}" twice`);
    recorded.set(id, { status, message });
  };
  const checks: CheckRecorder = {
    pass: (id, message) => record(id, 'passed', message ?? ''),
    fail: (id, message) => record(id, 'failed', message),
  };
  const ctx: GraderContext = {
    seed,
    random: (stream) => seededRandom(seed, stream),
    settings: manifest.settings ?? {},
    runAsync: (scenario) => {
      const fn = submission[scenario.exportName];
      if (typeof fn !== 'function')
        throw new Error(`submission does not export a function ${scenario.exportName}`);
      return runOnVirtualClock(fn as (...args: unknown[]) => unknown, scenario);
    },
    // Drivers and threads need the real sandbox: those exercises are tested through the SandboxPool instead.
    runAsyncDriver: () => Promise.reject(new Error('in-process grading runs exported functions only')),
    runThreads: () => Promise.reject(new Error('in-process grading runs async exercises only')),
    runMain: () => Promise.reject(new Error('in-process grading runs async exercises only')),
    explore: () => Promise.reject(new Error('in-process grading runs async exercises only')),
    // The report's tags for hidden checks belong to the sandbox's context; here the body just runs.
    hiddenCheck: (_checkId, body) => body(),
    dedicatedCores: 0,
  };
  await grader.grade(ctx, checks);
  return manifest.checks.map((check) => ({
    ...check,
    ...(recorded.get(check.id) ?? { status: 'skipped', message: '' }),
  }));
}

export { expectedFailures, knownBadVariants } from '../../../src/exercises/known-bad-variants';
