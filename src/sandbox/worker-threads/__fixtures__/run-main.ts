/**
 * Test helper, run as `node --no-node-snapshot dist/src/sandbox/worker-threads/__fixtures__/run-main.js`:
 * isolated-vm cannot load inside Jest, so specs send a submission and main-thread scenarios on
 * stdin and read, per scenario, the evidence or the verdict as JSON on stdout, with the number of
 * worker-thread isolates still alive after each run (always 0 unless a run leaked one).
 */
import { readFileSync } from 'node:fs';
import type { MainRunEvidence } from '../../../../graders/grader-api';
import { ConsoleBudget } from '../../console-budget';
import { GradingDeadline } from '../../grading-deadline';
import { SandboxVerdictError } from '../../sandbox-verdict-error';
import { transpileSubmission } from '../../transpile-submission';
import { runMainThread } from '../main-thread-run';
import { liveWorkerThreadIsolates } from '../thread-isolate';

export interface MainRunFixtureScenario {
  exportName: string;
  args: unknown[];
  wallTimeMs?: number;
}

export interface MainRunFixtureRequest {
  code: string;
  scenarios: MainRunFixtureScenario[];
  /** The grading's deadline over all scenarios (default 20 s). */
  deadlineMs?: number;
  memoryMb?: number;
  maxWorkers?: number;
  consoleBytes?: number;
}

export interface MainRunFixtureRun {
  evidence?: MainRunEvidence;
  verdict?: { status: string; message: string; location?: { line: number; column: number } };
  liveIsolatesAfter: number;
  /** Real time the whole runMainThread call took, load and clean-up included. */
  totalMs: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as MainRunFixtureRequest;
  const transpiled = await transpileSubmission(request.code);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const deadline = new GradingDeadline(request.deadlineMs ?? 20_000);
  const console = new ConsoleBudget(request.consoleBytes ?? 100_000);
  const runs: MainRunFixtureRun[] = [];
  for (const scenario of request.scenarios) {
    const started = performance.now();
    const run: Omit<MainRunFixtureRun, 'liveIsolatesAfter' | 'totalMs'> = {};
    try {
      run.evidence = await runMainThread({
        submission: transpiled.submission,
        exportName: scenario.exportName,
        args: scenario.args,
        wallTimeMs: scenario.wallTimeMs ?? 10_000,
        deadline,
        memoryMbPerThread: request.memoryMb ?? 64,
        maxWorkers: request.maxWorkers,
        console,
      });
    } catch (error) {
      if (!(error instanceof SandboxVerdictError)) throw error;
      run.verdict = {
        status: error.status,
        message: error.message,
        ...(error.location ? { location: error.location } : {}),
      };
    }
    runs.push({
      ...run,
      liveIsolatesAfter: liveWorkerThreadIsolates(),
      totalMs: performance.now() - started,
    });
    if (run.verdict) break; // a verdict ends a grading job
  }
  process.stdout.write(JSON.stringify(runs));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
