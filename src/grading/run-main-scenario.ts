import type { MainRunEvidence, MainRunScenario } from '../../graders/grader-api';
import { timeoutVerdict } from '../sandbox/isolate-error-verdict';
import { SandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import { runMainThread } from '../sandbox/worker-threads/main-thread-run';
import type { SandboxEnvironment } from './sandbox-grader-context';

/** A main-thread scenario's real time when the grader gives none (capped by the grading's remaining time). */
export const DEFAULT_MAIN_SCENARIO_WALL_MS = 10_000;

export interface MainScenarioLimits {
  /** Heap limit of each thread's isolate, the main thread's included: the exercise's memory limit. */
  memoryMbPerThread: number;
  /** Worker threads that may run at once (default 16). */
  maxWorkers?: number;
}

/**
 * `GraderContext.runMain`: calls an export on a fresh main thread (threadId 0) in real time; the
 * submission may start node:worker_threads (src/sandbox/worker-threads). Passing the scenario's
 * wall time is evidence (`timeout`); passing the grading's deadline is a verdict.
 */
export async function runMainScenario(
  environment: SandboxEnvironment,
  scenario: MainRunScenario,
  limits: MainScenarioLimits,
): Promise<MainRunEvidence> {
  checkScenario(scenario);
  const remainingMs = environment.deadline.remainingMs();
  if (remainingMs <= 0) throw timeoutVerdict(environment.deadline);
  return runMainThread({
    submission: environment.submission,
    exportName: scenario.exportName,
    args: scenario.args,
    wallTimeMs: Math.min(scenario.wallTimeMs ?? DEFAULT_MAIN_SCENARIO_WALL_MS, remainingMs),
    deadline: environment.deadline,
    memoryMbPerThread: limits.memoryMbPerThread,
    maxWorkers: limits.maxWorkers,
    console: environment.console,
  });
}

/** Mistakes in the scenario are the grader's, never the submission's. */
function checkScenario(scenario: MainRunScenario): void {
  if (typeof scenario.exportName !== 'string' || scenario.exportName === '')
    throw graderBug('the scenario names no export to call');
  if (!Array.isArray(scenario.args)) throw graderBug('the scenario has no args array');
  const wall = scenario.wallTimeMs;
  if (wall !== undefined && !(Number.isFinite(wall) && wall > 0))
    throw graderBug(`its wallTimeMs is ${wall}; give a positive number of milliseconds`);
}

function graderBug(problem: string): SandboxVerdictError {
  return new SandboxVerdictError('internal_error', `grader bug in a runMain scenario: ${problem}`);
}
