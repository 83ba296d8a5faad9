import type {
  ControlledRunEvidence,
  ControlledScenario,
  ExplorationSummary,
  ScheduleStrategy,
} from '../../graders/grader-api';
import { VIRTUAL_EPOCH_MS } from '../sandbox/async-scenario-run';
import { GradingDeadline } from '../sandbox/grading-deadline';
import { timeoutVerdict } from '../sandbox/isolate-error-verdict';
import { SandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import type { ControlledRunOutcome } from '../sandbox/threads/controlled/controlled-run-outcome';
import { ControlledSession } from '../sandbox/threads/controlled/controlled-session';
import { ThreadCodeError } from '../sandbox/threads/student-thread';
import type { SandboxEnvironment } from './sandbox-grader-context';
import { planSchedule } from './schedule-plan';
import { seededRandom, seedState } from './seeded-random';
import { reportedEnd, throwFatal } from './thread-run-evidence';
import type { ThreadScenarioLimits } from './run-thread-scenario';

export const DEFAULT_STRATEGIES: ScheduleStrategy[] = [{ kind: 'random' }, { kind: 'pct', depth: 3 }];
export const DEFAULT_MAX_STEPS = 20_000;
export const DEFAULT_EXPLORATION_WALL_MS = 10_000;
/** Real time one run may take: far more than any short controlled run needs, even on a busy host. */
export const RUN_WALL_MS = 2000;
/** Under PCT, a thread taking this many steps in a row while others are ready is spinning: it is demoted. */
const SPIN_LIMIT = 1000;
/** PCT's first guess of a run's length; later runs use the longest completed run so far. */
const FIRST_EXPECTED_STEPS = 100;

/** `GraderContext.explore`: the grader's scenario under the controlled scheduler, run after run, each judged by the grader. */
export async function runControlledScenario(
  environment: SandboxEnvironment,
  scenario: ControlledScenario,
  limits: ThreadScenarioLimits,
  seed: string,
): Promise<ExplorationSummary> {
  checkScenario(scenario);
  const remainingMs = environment.deadline.remainingMs();
  if (remainingMs <= 0) throw timeoutVerdict(environment.deadline);
  const wallMs = Math.min(scenario.wallTimeMs ?? DEFAULT_EXPLORATION_WALL_MS, remainingMs);
  const exploration = new GradingDeadline(wallMs);
  const label = scenario.label ?? 'controlled';
  const strategies = scenario.strategies ?? DEFAULT_STRATEGIES;
  const controlLimits = { maxSteps: scenario.maxSteps ?? DEFAULT_MAX_STEPS, spinLimit: SPIN_LIMIT };
  const startedAt = performance.now();
  const summary: ExplorationSummary = {
    ...(scenario.label === undefined ? {} : { label: scenario.label }),
    runs: 0,
    planned: scenario.runs,
    steps: 0,
    wallMs: 0,
    stoppedEarly: null,
  };
  let session: ControlledSession | undefined;
  let expectedSteps = FIRST_EXPECTED_STEPS;
  try {
    for (let run = 1; run <= scenario.runs; run++) {
      const runWallMs = Math.min(RUN_WALL_MS, exploration.remainingMs());
      if (runWallMs <= 0) {
        summary.stoppedEarly = 'wall-time';
        break;
      }
      const strategy = strategies[(run - 1) % strategies.length];
      const stream = `schedule/${label}/${run}`;
      const choices = planSchedule(seededRandom(seed, stream), strategy, scenario.threads, expectedSteps);
      const shared = graderCall('shared', () => scenario.shared(run));
      checkShared(shared);
      if (!session?.usable) session = openSession(environment, scenario, limits, seed, label);
      const outcome = await session.run(choices, controlLimits, shared, new GradingDeadline(runWallMs));
      throwFatal(outcome, {
        ...environment,
        cutByDeadline: false,
        memoryMbPerThread: limits.memoryMbPerThread,
      });
      if (outcome.status === 'timeout' && environment.deadline.remainingMs() <= 0)
        throw timeoutVerdict(environment.deadline);
      if (outcome.status === 'timeout' && runWallMs < RUN_WALL_MS) {
        // The exploration's time ran out during this run: not the run's fault, and not judged.
        summary.stoppedEarly = 'wall-time';
        break;
      }
      summary.runs = run;
      summary.steps += outcome.steps;
      if (outcome.status === 'completed') expectedSteps = Math.max(expectedSteps, outcome.steps);
      const evidence = controlledEvidence(outcome, scenario, run, strategy, seedName(seed, stream));
      if (graderCall('judge', () => scenario.judge(evidence, shared)) === true) {
        summary.stoppedEarly = 'judge';
        break;
      }
      if (outcome.status === 'timeout') {
        // A thread computed for the run's whole real time without touching shared memory: every
        // later run would most likely do the same, at the same cost. The real-thread runs judge it.
        summary.stoppedEarly = 'run-timeout';
        break;
      }
    }
  } finally {
    session?.dispose();
  }
  summary.wallMs = performance.now() - startedAt;
  return summary;
}

function openSession(
  environment: SandboxEnvironment,
  scenario: ControlledScenario,
  limits: ThreadScenarioLimits,
  seed: string,
  label: string,
): ControlledSession {
  try {
    return new ControlledSession({
      submission: environment.submission,
      threadCount: scenario.threads,
      threadSource: String(scenario.code),
      memoryMbPerThread: limits.memoryMbPerThread,
      console: environment.console,
      determinism: (thread) => ({
        epochMs: VIRTUAL_EPOCH_MS,
        randomState: seedState(seed, `controlled/${label}/math-random/${thread}`),
      }),
    });
  } catch (error) {
    if (error instanceof ThreadCodeError) throw graderBug(`its thread code cannot run: ${error.message}`);
    throw error;
  }
}

function controlledEvidence(
  outcome: ControlledRunOutcome,
  scenario: ControlledScenario,
  run: number,
  strategy: ScheduleStrategy,
  seed: string,
): ControlledRunEvidence {
  return {
    ...(scenario.label === undefined ? {} : { label: scenario.label }),
    run,
    runs: scenario.runs,
    schedule: {
      strategy: strategy.kind,
      ...(strategy.kind === 'pct' ? { depth: strategy.depth } : {}),
      seed,
    },
    // What throwFatal let through: completed, deadlock, step-limit or timeout.
    status: outcome.status as ControlledRunEvidence['status'],
    steps: outcome.steps,
    threads: outcome.threads.map((thread) => ({
      index: thread.index,
      threadId: thread.threadId,
      end: reportedEnd(thread.end),
      steps: thread.steps,
      waitingOn: thread.waitingOn,
    })),
    trace: outcome.trace.map(({ kind, ...step }) => ({
      ...step,
      action: kind as ControlledRunEvidence['trace'][number]['action'],
    })),
    console: outcome.console,
  };
}

/** A short name for a run's schedule: the first word of its seeded state, in hex. */
function seedName(seed: string, stream: string): string {
  return (seedState(seed, stream)[0] >>> 0).toString(16).padStart(8, '0');
}

function graderCall<T>(what: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw graderBug(`its ${what} function threw: ${(error as Error)?.message ?? String(error)}`);
  }
}

/** Mistakes in the scenario are the grader's, never the submission's. */
function checkScenario(scenario: ControlledScenario): void {
  if (typeof scenario.code !== 'function') throw graderBug('the scenario has no thread code function');
  if (!Number.isInteger(scenario.threads) || scenario.threads < 1 || scenario.threads > 16)
    throw graderBug(`it asks for ${scenario.threads} threads; give a whole number from 1 to 16`);
  if (!Number.isInteger(scenario.runs) || scenario.runs < 1)
    throw graderBug(`it asks for ${scenario.runs} runs; give a whole number of at least 1`);
  for (const strategy of scenario.strategies ?? [])
    if (
      strategy.kind === 'pct' &&
      !(Number.isInteger(strategy.depth) && strategy.depth >= 1 && strategy.depth <= 16)
    )
      throw graderBug(`PCT depth must be a whole number from 1 to 16, got ${strategy.depth}`);
  if (scenario.strategies?.length === 0) throw graderBug('it gives an empty list of strategies');
  if (typeof scenario.shared !== 'function' || typeof scenario.judge !== 'function')
    throw graderBug('it needs a shared(run) function and a judge(run, shared) function');
}

/** The scheduler tells buffers apart by their top-level key: a buffer nested deeper would be confused with others. */
function checkShared(shared: unknown): void {
  if (typeof shared !== 'object' || shared === null) throw graderBug('its shared(run) returned no object');
  const nested = (value: unknown, depth: number): boolean => {
    if (value instanceof SharedArrayBuffer) return depth > 0;
    if (ArrayBuffer.isView(value)) return depth > 0 && value.buffer instanceof SharedArrayBuffer;
    if (typeof value !== 'object' || value === null || depth > 3) return false;
    return Object.values(value).some((inner) => nested(inner, depth + 1));
  };
  for (const value of Object.values(shared))
    if (nested(value, 0))
      throw graderBug(
        'a SharedArrayBuffer is nested inside a value of shared: give each buffer a top-level key',
      );
}

function graderBug(problem: string): SandboxVerdictError {
  return new SandboxVerdictError('internal_error', `the grader's controlled scenario is wrong: ${problem}`);
}
