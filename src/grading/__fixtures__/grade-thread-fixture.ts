/**
 * Test helper, run as `node --no-node-snapshot dist/src/grading/__fixtures__/grade-thread-fixture.js`:
 * grades a submission against the fixture-mutex grader through gradeSubmission (isolated-vm cannot
 * load inside Jest). Reads `{ code, settings?, limits? }` on stdin, writes the report and the number of
 * student-thread isolates left alive as JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExerciseDefinition, ExerciseLimits } from '../../exercises/exercise-definition';
import { liveStudentThreadIsolates } from '../../sandbox/threads/student-thread';
import { gradeSubmission } from '../grade-submission';
import type { GradeReport } from '../grade-report';

export interface ThreadFixtureRequest {
  code: string;
  settings?: Record<string, unknown>;
  limits?: Partial<ExerciseLimits>;
}

export interface ThreadFixtureResult {
  report: GradeReport;
  liveIsolatesAfter: number;
}

function exercise(request: ThreadFixtureRequest): ExerciseDefinition {
  return {
    slug: 'fixture-mutex',
    title: 'Fixture: a mutex under real threads',
    kind: 'threads',
    grader: 'fixture-mutex',
    exports: ['Mutex'],
    limits: { timeoutMs: 20_000, memoryMb: 16, maxConsoleBytes: 2000, ...request.limits },
    checks: [
      { id: 'exclusion', name: 'the count is exact', points: 2, hidden: false },
      { id: 'no-hang', name: 'every thread finishes', points: 1, hidden: false },
    ],
    settings: { threads: [2, 4, 8], rounds: 2000, wallTimeMs: 5000, ...request.settings },
    statement: '',
    contract: '',
    starter: '',
    contentHash: 'fixture',
    dir: __dirname,
  };
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as ThreadFixtureRequest;
  const report = await gradeSubmission({
    exercise: exercise(request),
    code: request.code,
    gradersDir: join(__dirname, 'graders'),
  });
  const result: ThreadFixtureResult = { report, liveIsolatesAfter: liveStudentThreadIsolates() };
  process.stdout.write(JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
