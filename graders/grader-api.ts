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

export interface GraderContext extends ThreadGraderContext {
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
  /**
   * Runs trusted driver code beside the submission on the virtual clock (see AsyncDriverCode):
   * to construct a class, call several of its methods at once, or keep a heartbeat. Fatal outcomes
   * end grading as for runAsync.
   */
  runAsyncDriver(scenario: AsyncDriverScenario): Promise<DriverRunEvidence>;
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

/** Where a grader records each check's outcome as soon as it knows it; unrecorded checks end up `skipped`. */
export interface CheckRecorder {
  pass(checkId: string, message?: string): void;
  fail(checkId: string, message: string): void;
}

export interface ExerciseGrader {
  grade(ctx: GraderContext, checks: CheckRecorder): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Threads (issue 3). Two ways a grader runs threaded code:
//  - runThreads: the grader starts N threads itself; each loads the submission and runs a small
//    piece of trusted grader code (ThreadCode) with shared memory the grader allocated.
//  - runMain: the grader calls an export on the submission's main thread in real time; the
//    submission starts its own threads with node:worker_threads.
// A check receives what happened (ThreadRunEvidence / MainRunEvidence), not how it was scheduled,
// so a second way of running the same scenario (issue 4's controlled scheduler) can fill the same
// evidence without touching the exercises' checks.
// ---------------------------------------------------------------------------------------------

/** What a thread knows about itself. `threadId` is 1-based; the grader's main thread is 0. */
export interface ThreadInfo {
  index: number;
  threadId: number;
  count: number;
}

/**
 * Trusted grader code that runs inside every thread's isolate, beside the untrusted submission.
 * It is sent into the isolate as source text (`String(fn)`), so it must be self-contained: no
 * imports, no closure variables. The outer function is called once, BEFORE the submission loads,
 * and must capture every built-in the body needs (`const add = Atomics.add`, ...): by the time the
 * body runs, the submission may have replaced the globals. The returned body is called once all
 * threads are at the start barrier, with the submission's exports, the thread's copy of
 * `ThreadScenario.shared` (SharedArrayBuffers stay shared) and ThreadInfo. What it returns is
 * structured-cloned back to the grader (plain data only): a value that cannot be copied ends grading
 * as internal_error, the grader's bug, so convert anything the submission hands back first
 * (`Number(x)`, `String(x)`). `Atomics.wait`/`notify` captured by the factory are the measured
 * wrappers: the grader's own waits in a thread count as that thread's.
 * Keep it tiny, and let verdicts depend on what the host reads back: shared memory the grader
 * kept to itself, host-side counters, the evidence below; never on a value the submission returns.
 */
export type ThreadCode = () => (
  exports: Record<string, unknown>,
  shared: never,
  thread: ThreadInfo,
) => unknown;

export interface ThreadScenario {
  /** Shown in evidence-bearing messages, e.g. "4 threads, run 2 of 5". */
  label?: string;
  /** How many threads to start (the submission's thread limit applies: default 16). */
  threads: number;
  code: ThreadCode;
  /**
   * Handed to every thread. SharedArrayBuffers (top-level values, or nested) stay shared; give
   * each buffer a top-level key (the buffer, or a typed array or DataView on it) so the wait
   * evidence can name it ("state[0]").
   */
  shared: Record<string, unknown>;
  /**
   * Real time for this run; when it passes the run ends as `timeout`, with evidence. Default 5 s,
   * capped by the grading's remaining time: when that cap is what stops the run, grading ends as a
   * `timeout` verdict.
   */
  wallTimeMs?: number;
  /**
   * The deadlock watchdog's poll interval (default 50 ms, at least 5); `false` turns the watchdog
   * off. It assumes only the run's threads wake each other: turn it off if the grader's host code
   * notifies threads while the run is live.
   */
  watchdog?: { pollMs?: number } | false;
}

/** A cell a blocked thread waits on in Atomics.wait. */
export interface WaitSite {
  /** The key in `ThreadScenario.shared` of the buffer waited on; null for memory the grader did not allocate. */
  buffer: string | null;
  /** Element index within the buffer (in elements of the waited array, from the buffer's start). */
  index: number;
  /** The value Atomics.wait was told to expect (a BigInt64Array value as the nearest number). */
  expected: number;
  /** The cell's value when the host last looked; null when the buffer is not the grader's. */
  current: number | null;
  /** The wait's timeout in ms, or null for none. */
  timeoutMs: number | null;
}

export type ThreadEnd =
  | { kind: 'returned'; value: unknown }
  /** The submission (or the grader code, through it) threw while this thread ran. */
  | { kind: 'threw'; message: string; location?: { line: number; column: number } }
  /** Still running or blocked when the run stopped (deadlock, wall time). */
  | { kind: 'stopped' };

/** What the host saw of one thread. Nothing here comes from the submission's own bookkeeping. */
export interface ThreadReport {
  index: number;
  threadId: number;
  end: ThreadEnd;
  /** CPU time estimate of the run, time blocked in Atomics.wait excluded. */
  cpuMs: number;
  /** Time blocked in Atomics.wait (the start barrier excluded). */
  blockedMs: number;
  /** Calls of Atomics.wait that returned (the start barrier excluded). */
  waits: number;
  /** Where the thread was blocked when the run ended; null if it was not blocked. */
  waitingOn: WaitSite | null;
}

export interface ThreadRunEvidence {
  label?: string;
  /**
   * completed: every thread returned or threw.
   * deadlock: every live thread was blocked in Atomics.wait with no timeout, no wake-up was on its
   *   way, and nothing changed across two watchdog polls (awaited cells, wait counts, the grader's
   *   buffers; 500 ms when an awaited cell had changed); the run was stopped early (docs/threads.md).
   * timeout: the wall time passed with some thread still running.
   */
  status: 'completed' | 'deadlock' | 'timeout';
  /** Real time from the start barrier's release to the run's end. */
  wallMs: number;
  threads: ThreadReport[];
  /** Threads blocked although the value they wait for has changed: nobody notified them (lost wake-up). */
  lostWakeups: number[];
  console: string[];
  /**
   * How busy the machine was over the run (threads started, ran and were stopped: `spanMs` of real
   * time): the sandbox process's CPU and every core's busy time (/proc/stat). Other processes took
   * `systemBusyMs - processCpuMs`: on a busy machine threads overlap less and races show less.
   * Absent where the host cannot tell.
   */
  host?: { processCpuMs: number; systemBusyMs: number; cores: number; spanMs: number };
}

export interface MainRunScenario {
  /** The export to call on the main thread (`isMainThread` true, threadId 0), e.g. `countPrimes`. */
  exportName: string;
  /** Plain data, structured-cloned in. */
  args: unknown[];
  /** Real time allowed from the call until its promise settles; default 10 s (capped by the grading's remaining time). */
  wallTimeMs?: number;
}

/** One thread the submission started with `new Worker(...)`. */
export interface WorkerReport {
  threadId: number;
  /** ms after the export was called. */
  startedAtMs: number;
  /** When it ended (ms after the call); null if still running when the run ended. */
  endedAtMs: number | null;
  end: 'exited' | 'terminated' | 'threw' | 'running';
  /** What the worker threw, with the student's line when known. */
  error?: { message: string; location?: { line: number; column: number } };
  cpuMs: number;
  blockedMs: number;
}

export interface MainRunEvidence {
  result:
    | { kind: 'resolved'; value: unknown }
    | { kind: 'rejected'; message: string; location?: { line: number; column: number } }
    | { kind: 'timeout' };
  /** Real time from the call until the promise settled (or the run was stopped). */
  wallMs: number;
  mainCpuMs: number;
  workers: WorkerReport[];
  /**
   * How busy the machine was meanwhile, to tell a noisy neighbour from a slow solution:
   * the sandbox process's own CPU time and the whole host's busy CPU time (all cores, /proc/stat).
   */
  host: { processCpuMs: number; systemBusyMs: number; cores: number };
  console: string[];
}

/** Thread-running powers of the grading context. */
export interface ThreadGraderContext {
  runThreads(scenario: ThreadScenario): Promise<ThreadRunEvidence>;
  runMain(scenario: MainRunScenario): Promise<MainRunEvidence>;
  /**
   * Cores this grading has to itself (no other grading runs on them), when the exercise asks for
   * dedicated cores (`limits.dedicatedCores`); 0 when it shares the machine.
   */
  readonly dedicatedCores: number;
}
