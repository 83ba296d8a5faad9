/**
 * The contract between an exercise's grader (trusted, runs on the host side of the sandbox)
 * and the sandbox runtime. Graders never touch isolated-vm: they describe scenarios, the
 * sandbox runs the submission, and the grader judges the evidence the host recorded.
 */

/** One virtual-I/O function handed to the submission (e.g. `fetchData`). The host decides each call's fate. */
export type VirtualService = (call: ServiceCallRequest) => ServiceCallPlan;

export interface ServiceCallRequest {
  /** Arguments the submission passed, copied out of the isolate. */
  args: unknown[];
  /** 0-based order of this call among all calls to this service in the run. */
  index: number;
  /** Virtual time of the call, in ms since the scenario started. */
  nowMs: number;
}

export interface ServiceCallPlan {
  /** Virtual latency before the returned promise settles. */
  latencyMs: number;
  /** Resolve with `value`, or reject with `new Error(error)` inside the isolate. */
  outcome: { ok: true; value: unknown } | { ok: false; error: string };
}

/** An argument of the exported function: plain data (structured-cloned in) or a virtual service. */
export type ScenarioArg = { value: unknown } | { service: string };

export interface AsyncScenario {
  /** The exported function to call, e.g. `fetchAll`. */
  exportName: string;
  args: ScenarioArg[];
  services: Record<string, VirtualService>;
  /** Stop the run (result `pending`) once virtual time passes this; default 60 s. */
  maxVirtualMs?: number;
}

export interface ServiceCallRecord {
  service: string;
  index: number;
  args: unknown[];
  startedAtMs: number;
  /** When the host settled the promise; null if the run ended first. */
  settledAtMs: number | null;
  ok: boolean;
}

export type ScenarioResult =
  | { kind: 'resolved'; value: unknown }
  | { kind: 'rejected'; message: string }
  /** The promise never settled: no event was left to fire (async deadlock) or the virtual time cap passed. */
  | { kind: 'pending'; reason: 'no-events-left' | 'virtual-time-cap' };

/** What the host saw during one scenario. Nothing here comes from the submission's own bookkeeping. */
export interface AsyncRunEvidence {
  result: ScenarioResult;
  /** Virtual time at which the export's promise settled; null when pending. */
  settledAtMs: number | null;
  /** Every service call, in the order they were made. */
  calls: ServiceCallRecord[];
  /** Service promises that rejected with no handler attached before the next macrotask (Node's rule). */
  unhandledRejections: ServiceCallRecord[];
  console: string[];
}

export interface GraderContext {
  readonly seed: string;
  /** A seeded PRNG per named stream, so adding a case does not shift the random numbers of the others. */
  random(stream: string): () => number;
  /** The `settings` object of the exercise's exercise.json. */
  readonly settings: Readonly<Record<string, unknown>>;
  /**
   * Runs one scenario on the virtual clock in a fresh context with the submission loaded.
   * A fatal outcome (timeout, memory limit, module that throws on load, ...) is thrown as a
   * SandboxVerdictError and ends grading; the framework turns it into the report's status.
   */
  runAsync(scenario: AsyncScenario): Promise<AsyncRunEvidence>;
}

/** Where a grader records each check's outcome as soon as it knows it; unrecorded checks end up `skipped`. */
export interface CheckRecorder {
  pass(checkId: string, message?: string): void;
  fail(checkId: string, message: string): void;
}

export interface ExerciseGrader {
  grade(ctx: GraderContext, checks: CheckRecorder): Promise<void>;
}
