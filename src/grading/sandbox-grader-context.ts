import type {
  AsyncDriverScenario,
  AsyncRunEvidence,
  AsyncScenario,
  ControlledScenario,
  DriverRunEvidence,
  ExplorationSummary,
  GraderContext,
  MainRunEvidence,
  MainRunScenario,
  ThreadRunEvidence,
  ThreadScenario,
} from '../../graders/grader-api';
import type { ExerciseDefinition } from '../exercises/exercise-definition';
import { runAsyncDriverScenario } from '../sandbox/async-driver-run';
import { runAsyncScenario } from '../sandbox/async-scenario-run';
import type { ConsoleBudget } from '../sandbox/console-budget';
import type { GradingDeadline } from '../sandbox/grading-deadline';
import type { GradingIsolate } from '../sandbox/grading-isolate';
import { isSandboxVerdictError, SandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import type { CompiledSubmission } from '../sandbox/transpile-submission';
import { HiddenCheckScopes } from './hidden-check-scopes';
import {
  asyncRunEnd,
  controlledRunEnd,
  driverRunEnd,
  mainRunEnd,
  threadRunEnd,
  type RunEnd,
} from './hidden-run-ends';
import { runControlledScenario } from './run-controlled-scenario';
import { runMainScenario } from './run-main-scenario';
import { runThreadScenario } from './run-thread-scenario';
import { seededRandom, seedState } from './seeded-random';

export interface SandboxEnvironment {
  submission: CompiledSubmission;
  isolate: GradingIsolate;
  deadline: GradingDeadline;
  console: ConsoleBudget;
  dedicatedCores: number;
}

/** What a grader sees: seeded randomness, its settings, and scenarios run in the sandbox. */
export class SandboxGraderContext implements GraderContext {
  readonly settings: Readonly<Record<string, unknown>>;
  /** The first fatal outcome; once set, grading is over and every later scenario fails the same way. */
  verdict: SandboxVerdictError | undefined;
  /** The hidden check whose runs raised `verdict`, if a hidden check's did. */
  verdictHiddenCheck: string | undefined;
  readonly hidden: HiddenCheckScopes;
  private scenariosRun = 0;

  constructor(
    private readonly exercise: ExerciseDefinition,
    readonly seed: string,
    private readonly environment: SandboxEnvironment,
  ) {
    this.settings = Object.freeze({ ...(exercise.settings ?? {}) });
    this.hidden = new HiddenCheckScopes(exercise.checks, environment.console);
  }

  hiddenCheck<T>(checkId: string, body: () => Promise<T>): Promise<T> {
    return this.hidden.run(checkId, body);
  }

  get dedicatedCores(): number {
    return this.environment.dedicatedCores;
  }

  random(stream: string): () => number {
    return seededRandom(this.seed, stream);
  }

  async runAsync(scenario: AsyncScenario): Promise<AsyncRunEvidence> {
    const randomState = this.nextRandomState();
    return this.guarded(() => runAsyncScenario({ ...this.environment, randomState }, scenario), asyncRunEnd);
  }

  async runAsyncDriver(scenario: AsyncDriverScenario): Promise<DriverRunEvidence> {
    const randomState = this.nextRandomState();
    return this.guarded(
      () => runAsyncDriverScenario({ ...this.environment, randomState }, scenario),
      driverRunEnd,
    );
  }

  async runThreads(scenario: ThreadScenario): Promise<ThreadRunEvidence> {
    const limits = { memoryMbPerThread: this.exercise.limits.memoryMb };
    return this.guarded(() => runThreadScenario(this.environment, scenario, limits), threadRunEnd);
  }

  async explore(scenario: ControlledScenario): Promise<ExplorationSummary> {
    const limits = { memoryMbPerThread: this.exercise.limits.memoryMb };
    // Each controlled run reaches the grader through its judge: how it ended is noted there.
    const observed: ControlledScenario = {
      ...scenario,
      judge: (run, shared) => {
        this.hidden.noteRunEnd(controlledRunEnd(run));
        return scenario.judge(run, shared);
      },
    };
    return this.guarded(
      () => runControlledScenario(this.environment, observed, limits, this.seed),
      () => null,
    );
  }

  async runMain(scenario: MainRunScenario): Promise<MainRunEvidence> {
    const limits = { memoryMbPerThread: this.exercise.limits.memoryMb };
    return this.guarded(() => runMainScenario(this.environment, scenario, limits), mainRunEnd);
  }

  /** Each scenario's Math.random gets its own stream: the same seed replays the same run, scenario by scenario. */
  private nextRandomState() {
    return seedState(this.seed, `math-random/${this.scenariosRun++}`);
  }

  /**
   * Runs one scenario; its fatal outcome (a verdict) ends grading: every later scenario fails the same
   * way. Inside a hidden check, the verdict and how the run ended are tagged with it.
   */
  private async guarded<T>(run: () => Promise<T>, endOf: (evidence: T) => RunEnd | null): Promise<T> {
    if (this.verdict) throw this.verdict;
    let evidence: T;
    try {
      evidence = await run();
    } catch (error) {
      this.verdict = isSandboxVerdictError(error)
        ? error
        : new SandboxVerdictError(
            'internal_error',
            `the sandbox failed: ${(error as Error)?.message ?? String(error)}`,
          );
      this.verdictHiddenCheck = this.hidden.current ?? undefined;
      throw this.verdict;
    }
    this.hidden.noteRunEnd(endOf(evidence));
    return evidence;
  }
}
