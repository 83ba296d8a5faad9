/**
 * The async part of the grader contract (see grader-api.ts): scenarios on the virtual clock, the
 * grader's services, and trusted driver code beside the submission (docs/async.md).
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

/** Resolve with `value`, or reject with `new Error(error)` inside the isolate. */
export type ServiceOutcome = { ok: true; value: unknown } | { ok: false; error: string };

export interface ServiceCallPlan {
  /** Virtual latency before the returned promise settles. */
  latencyMs: number;
  /**
   * The outcome, or a function the host calls at the instant the call settles, for a service whose
   * effect and answer belong to that instant (a store that applies a write when it acknowledges it).
   */
  outcome: ServiceOutcome | ((settling: { nowMs: number }) => ServiceOutcome);
}

/** An argument of the exported function: plain data (structured-cloned in) or a virtual service. */
export type ScenarioArg = { value: unknown } | { service: string };

/**
 * A synchronous grader function that stands for CPU work (e.g. `digest`): it returns `value` at
 * once, and the virtual clock moves on by `costMs` while it "runs", as a busy event loop's clock
 * does: timers and I/O due meanwhile wait until the current macrotask ends.
 */
export type CpuBoundService = (call: ServiceCallRequest) => { value: unknown; costMs: number };

/** What runs on the virtual clock in both kinds of async scenario. */
export interface VirtualClockSettings {
  services?: Record<string, VirtualService>;
  /** Passed to the submission like services (`{ service: name }`); names are shared with `services`. */
  cpuServices?: Record<string, CpuBoundService>;
  /** Stop the run (result `pending`) once virtual time passes this; default 60 s. */
  maxVirtualMs?: number;
  /**
   * Orders the events that are due at the same virtual instant and that Node does not order:
   * completions of service calls (among themselves, and against a timer due then). Timers and
   * immediates keep Node's order (scheduling order). Absent: scheduling order throughout (FIFO).
   * The same seed gives the same order, run after run; name it in a failure so it can be replayed.
   */
  scheduleSeed?: string;
}

export interface AsyncScenario extends VirtualClockSettings {
  /** The exported function to call, e.g. `fetchAll`. */
  exportName: string;
  args: ScenarioArg[];
  services: Record<string, VirtualService>;
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

// ---------------------------------------------------------------------------------------------
// Async drivers (issue 4): trusted grader code in the scenario's context that calls the
// submission the way a grader must (several methods of one instance at once, a heartbeat), while
// the host records every operation it starts. Verdicts come from those records and from the
// grader's own services, never from the submission's bookkeeping.
// ---------------------------------------------------------------------------------------------

/**
 * Trusted grader code that runs in the scenario's context, beside the untrusted submission. Like
 * ThreadCode it is sent as source text (`String(fn)`), so it must be self-contained: no imports,
 * no closure variables. The outer function is called once, BEFORE the submission loads, and must
 * capture every built-in the body needs (`const apply = Reflect.apply`, ...): by the time the body
 * runs, the submission may have replaced the globals. The body is called once when the run starts,
 * with the submission's exports, the scenario's services as functions, the tools below and a fresh
 * copy of `AsyncDriverScenario.input`. What it returns is ignored; if it throws, grading ends as a
 * runtime error (a constructor of the submission that throws, for example).
 */
export type AsyncDriverCode = () => (
  exports: Record<string, unknown>,
  services: Record<string, (...args: unknown[]) => unknown>,
  tools: AsyncDriverTools,
  input: never,
) => void;

export interface AsyncDriverTools {
  /**
   * Starts a labelled operation after `delayMs` of virtual time (default 0: now, synchronously):
   * calls `start` and follows what it returns (a promise, or a value). The host records when it
   * started and settled and how; an operation still waiting when nothing is left to happen is an
   * async deadlock. Label it the way a student reads it, e.g. "transfer(a → b, 5)".
   */
  operation(label: string, start: () => unknown, delayMs?: number): void;
  /**
   * Runs `callback` as a macrotask after `delayMs`, with Node's setTimeout rules (0 is 1 ms), among
   * the submission's timers. The submission cannot clear it, and like an unref'd timer it never
   * keeps the run alive.
   */
  setTimeout(callback: () => void, delayMs: number): void;
  /** Records that something happened now (a heartbeat tick, ...) in the evidence's marks. */
  mark(label: string): void;
}

export interface AsyncDriverScenario extends VirtualClockSettings {
  /** Shown in evidence-bearing messages, e.g. "opposite transfers, schedule 2 of 6". */
  label?: string;
  driver: AsyncDriverCode;
  /** The exports the driver uses (e.g. `Bank`): one that is missing or not a function (a class is one) ends grading as a runtime error naming it. */
  exportNames?: string[];
  /** Plain data handed to the driver body (structured-cloned in). */
  input?: unknown;
}

export interface OperationRecord {
  /** 0-based, in the order the driver asked for the operations. */
  index: number;
  label: string;
  /** When `start` was called; null if the run ended before its delay passed. */
  startedAtMs: number | null;
  /** When its promise settled; null while it was still waiting at the end of the run. */
  settledAtMs: number | null;
  outcome: { kind: 'resolved'; value: unknown } | { kind: 'rejected'; message: string } | { kind: 'waiting' };
}

/** A moment the driver marked, placed among the service calls: `callsBefore` calls had been made. */
export interface DriverMark {
  label: string;
  atMs: number;
  callsBefore: number;
}

export interface DriverRunEvidence {
  label?: string;
  /**
   * completed: every operation settled (and every service call in flight with them).
   * deadlock: some operations were still waiting and nothing was left to happen: no timer of the
   *   submission's, no service call in flight (grader timers do not count: they never keep a run alive).
   * virtual-time-cap: some were still waiting when virtual time passed maxVirtualMs.
   */
  end: 'completed' | 'deadlock' | 'virtual-time-cap';
  /** Virtual time when the run ended. */
  endedAtMs: number;
  operations: OperationRecord[];
  /** The operations still waiting at the end, in the order they started (empty when completed). */
  waiting: OperationRecord[];
  /** Every service call (CPU-bound ones too, settled `costMs` after they started), in call order. */
  calls: ServiceCallRecord[];
  unhandledRejections: ServiceCallRecord[];
  marks: DriverMark[];
  console: string[];
}
