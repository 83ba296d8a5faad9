/**
 * Test helper, run as `node --no-node-snapshot dist/src/sandbox/threads/controlled/__fixtures__/run-controlled.js`
 * (isolated-vm cannot load inside Jest): reads a submission, the grader's thread code and a list of
 * schedules on stdin, runs one controlled run per schedule (fresh shared memory each, one session
 * while runs complete) and writes each outcome with the final shared cells as JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { GradingDeadline } from '../../../grading-deadline';
import { transpileSubmission } from '../../../transpile-submission';
import { liveStudentThreadIsolates } from '../../student-thread';
import type { ControlLimits, ScheduleChoices } from '../control-memory';
import type { ControlledRunOutcome } from '../controlled-run-outcome';
import { ControlledSession } from '../controlled-session';

export interface ControlledFixtureRequest {
  code: string;
  threadCount: number;
  threadSource: string;
  /** Int32 cells of each shared array, by name (each given to every thread as `shared[name]`, a SharedArrayBuffer). */
  arrays: Record<string, number>;
  schedules: ScheduleChoices[];
  limits?: Partial<ControlLimits>;
  wallTimeMs?: number;
}

export interface ControlledFixtureRun {
  outcome: ControlledRunOutcome;
  arrays: Record<string, number[]>;
  /** Sessions created so far (a run that does not complete spends its session). */
  sessions: number;
}

export interface ControlledFixtureResult {
  runs: ControlledFixtureRun[];
  liveIsolatesAfter: number;
  elapsedMs: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as ControlledFixtureRequest;
  const transpiled = await transpileSubmission(request.code);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const open = () =>
    new ControlledSession({
      submission: transpiled.submission,
      threadCount: request.threadCount,
      threadSource: request.threadSource,
      memoryMbPerThread: 32,
      determinism: (thread) => ({ epochMs: 0, randomState: [thread + 1, 2, 3, 4] }),
    });
  const limits: ControlLimits = { maxSteps: 100_000, spinLimit: 1000, ...request.limits };
  const started = performance.now();
  let session = open();
  let sessions = 1;
  const runs: ControlledFixtureRun[] = [];
  for (const schedule of request.schedules) {
    if (!session.usable) {
      session = open();
      sessions++;
    }
    const buffers = Object.fromEntries(
      Object.entries(request.arrays).map(([name, ints]) => [name, new SharedArrayBuffer(4 * ints)]),
    );
    const deadline = new GradingDeadline(request.wallTimeMs ?? 5000);
    const outcome = await session.run(schedule, limits, buffers, deadline);
    const arrays = Object.fromEntries(
      Object.entries(buffers).map(([name, buffer]) => [name, [...new Int32Array(buffer)]]),
    );
    runs.push({ outcome, arrays, sessions });
  }
  session.dispose();
  const result: ControlledFixtureResult = {
    runs,
    liveIsolatesAfter: liveStudentThreadIsolates(),
    elapsedMs: performance.now() - started,
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
