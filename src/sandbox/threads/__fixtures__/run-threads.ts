/**
 * Test helper, run as `node --no-node-snapshot dist/src/sandbox/threads/__fixtures__/run-threads.js`:
 * isolated-vm cannot load inside Jest, so specs send a submission, the grader's thread code and the
 * run's limits on stdin, and read the outcome as JSON on stdout. The shared memory is one Int32Array
 * of `sharedInts` cells, given to every thread as `shared.cells`, plus one Int32Array per entry of
 * `arrays` (name -> cells); their final contents come back too.
 */
import { readFileSync } from 'node:fs';
import { ConsoleBudget } from '../../console-budget';
import { SandboxVerdictError } from '../../sandbox-verdict-error';
import { transpileSubmission } from '../../transpile-submission';
import { liveStudentThreadIsolates } from '../student-thread';
import { runThreads, type ThreadRunLimits, type ThreadRunOutcome } from '../thread-runtime';

export interface ThreadRunFixtureRequest {
  code: string;
  threadCount: number;
  threadSource: string;
  sharedInts: number;
  /** More shared Int32Arrays, by name (the name the wait evidence uses). */
  arrays?: Record<string, number>;
  limits: ThreadRunLimits;
  watchdog?: { pollMs?: number } | false;
  consoleBytes?: number;
  /** Run the same request this many times (fresh memory each), e.g. to look for a race. */
  repeat?: number;
}

export interface ThreadRunFixtureRun {
  outcome?: ThreadRunOutcome;
  verdict?: { status: string; message: string };
  cells: number[];
  arrays: Record<string, number[]>;
  /** Lines the grading's console budget kept. */
  console: string[];
  /** Student-thread isolates still alive after runThreads returned. */
  liveIsolatesAfter: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as ThreadRunFixtureRequest;
  const transpiled = await transpileSubmission(request.code);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const runs: ThreadRunFixtureRun[] = [];
  for (let run = 0; run < (request.repeat ?? 1); run++) {
    const cells = new Int32Array(new SharedArrayBuffer(4 * request.sharedInts));
    const arrays = Object.fromEntries(
      Object.entries(request.arrays ?? {}).map(([name, ints]) => [
        name,
        new Int32Array(new SharedArrayBuffer(4 * ints)),
      ]),
    );
    const console = new ConsoleBudget(request.consoleBytes ?? 10_000);
    const result: Omit<ThreadRunFixtureRun, 'cells' | 'arrays' | 'liveIsolatesAfter'> = {
      console: console.lines,
    };
    try {
      result.outcome = await runThreads({
        submission: transpiled.submission,
        threadCount: request.threadCount,
        threadSource: request.threadSource,
        shared: { cells, ...arrays },
        limits: request.limits,
        console,
        watchdog: request.watchdog,
      });
    } catch (error) {
      if (!(error instanceof SandboxVerdictError)) throw error;
      result.verdict = { status: error.status, message: error.message };
    }
    runs.push({
      ...result,
      cells: Array.from(cells),
      arrays: Object.fromEntries(Object.entries(arrays).map(([name, array]) => [name, Array.from(array)])),
      liveIsolatesAfter: liveStudentThreadIsolates(),
    });
  }
  process.stdout.write(JSON.stringify(runs));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
