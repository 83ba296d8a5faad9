/**
 * Test helper, run as `node --no-node-snapshot dist/src/sandbox/worker-threads/__fixtures__/grade-primes.js`:
 * grades the submission on stdin with gradeSubmission and the fixture-primes grader (ctx.runMain),
 * and prints the report as JSON, with the worker-thread isolates still alive afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExerciseDefinition } from '../../../exercises/exercise-definition';
import { gradeSubmission } from '../../../grading/grade-submission';
import { liveWorkerThreadIsolates } from '../thread-isolate';

const exercise: ExerciseDefinition = {
  slug: 'fixture-primes',
  title: 'Fixture: count primes with worker threads',
  kind: 'threads',
  grader: 'fixture-primes',
  exports: ['countPrimes'],
  limits: { timeoutMs: 30_000, memoryMb: 32, maxConsoleBytes: 4000 },
  checks: [
    { id: 'counts', name: 'exact counts for 1-4 threads', points: 2, hidden: false },
    { id: 'workers', name: 'one worker per thread, each exits by itself', points: 1, hidden: false },
  ],
  settings: {},
  statement: '',
  contract: '',
  starter: '',
  contentHash: 'fixture',
  dir: __dirname,
};

async function main(): Promise<void> {
  const { code, wallTimeMs } = JSON.parse(readFileSync(0, 'utf8')) as { code: string; wallTimeMs?: number };
  const report = await gradeSubmission({
    exercise: { ...exercise, settings: { wallTimeMs: wallTimeMs ?? 3000 } },
    code,
    gradersDir: join(__dirname, 'graders'),
  });
  process.stdout.write(JSON.stringify({ report, liveIsolatesAfter: liveWorkerThreadIsolates() }));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
