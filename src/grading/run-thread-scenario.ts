import type { ThreadRunEvidence, ThreadScenario } from '../../graders/grader-api';
import { timeoutVerdict } from '../sandbox/isolate-error-verdict';
import { hostBusySince, sampleHostBusy } from '../sandbox/host-busy-time';
import { SandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import { MIN_WATCHDOG_POLL_MS } from '../sandbox/threads/deadlock-watchdog';
import { ThreadCodeError } from '../sandbox/threads/student-thread';
import { runThreads } from '../sandbox/threads/thread-runtime';
import type { SandboxEnvironment } from './sandbox-grader-context';
import { threadRunEvidence } from './thread-run-evidence';

/** A thread scenario's real time when the grader gives none (capped by the grading's remaining time). */
export const DEFAULT_THREAD_SCENARIO_WALL_MS = 5000;

export interface ThreadScenarioLimits {
  /** Heap limit of each thread's isolate: the exercise's memory limit. */
  memoryMbPerThread: number;
  maxThreads?: number;
}

/** `GraderContext.runThreads`: the grader's ThreadScenario on real threads (src/sandbox/threads), as evidence. */
export async function runThreadScenario(
  environment: SandboxEnvironment,
  scenario: ThreadScenario,
  limits: ThreadScenarioLimits,
): Promise<ThreadRunEvidence> {
  checkScenario(scenario);
  const remainingMs = environment.deadline.remainingMs();
  if (remainingMs <= 0) throw timeoutVerdict(environment.deadline);
  const wantedMs = scenario.wallTimeMs ?? DEFAULT_THREAD_SCENARIO_WALL_MS;
  const wallTimeMs = Math.min(wantedMs, remainingMs);
  let outcome;
  const busyAtStart = sampleHostBusy();
  const startedAt = performance.now();
  try {
    outcome = await runThreads({
      submission: environment.submission,
      threadCount: scenario.threads,
      threadSource: String(scenario.code),
      shared: scenario.shared,
      limits: { wallTimeMs, memoryMbPerThread: limits.memoryMbPerThread, maxThreads: limits.maxThreads },
      console: environment.console,
      watchdog: scenario.watchdog,
    });
  } catch (error) {
    if (error instanceof ThreadCodeError) throw graderBug(`its thread code cannot run: ${error.message}`);
    throw error;
  }
  const host = { ...hostBusySince(busyAtStart), spanMs: performance.now() - startedAt };
  return threadRunEvidence(outcome, {
    label: scenario.label,
    host,
    deadline: environment.deadline,
    cutByDeadline: wallTimeMs < wantedMs,
    memoryMbPerThread: limits.memoryMbPerThread,
    console: environment.console,
  });
}

/** Mistakes in the scenario are the grader's, never the submission's. */
function checkScenario(scenario: ThreadScenario): void {
  if (typeof scenario.code !== 'function') throw graderBug('the scenario has no thread code function');
  if (!Number.isInteger(scenario.threads) || scenario.threads < 1)
    throw graderBug(`it asks for ${scenario.threads} threads; give a whole number of at least 1`);
  if (typeof scenario.shared !== 'object' || scenario.shared === null)
    throw graderBug('the scenario has no shared object');
  if (scenario.wallTimeMs !== undefined && !(scenario.wallTimeMs > 0))
    throw graderBug(`its wallTimeMs must be positive, got ${scenario.wallTimeMs}`);
  const pollMs = scenario.watchdog ? scenario.watchdog.pollMs : undefined;
  if (pollMs !== undefined && !(pollMs >= MIN_WATCHDOG_POLL_MS))
    throw graderBug(`its watchdog pollMs must be at least ${MIN_WATCHDOG_POLL_MS}, got ${pollMs}`);
  try {
    structuredClone(scenario.shared);
  } catch (error) {
    throw graderBug(`its shared memory cannot be copied into threads: ${(error as Error)?.message ?? error}`);
  }
}

function graderBug(problem: string): SandboxVerdictError {
  return new SandboxVerdictError('internal_error', `the grader's thread scenario is wrong: ${problem}`);
}
