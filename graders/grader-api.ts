/**
 * The contract between an exercise's grader (trusted, runs on the host side of the sandbox)
 * and the sandbox runtime. Graders never touch isolated-vm: they describe scenarios, the
 * sandbox runs the submission, and the grader judges the evidence the host recorded.
 */

import type {
  AsyncDriverScenario,
  AsyncRunEvidence,
  AsyncScenario,
  DriverRunEvidence,
} from './async-grader-api';
import type { ControlledScenario, ExplorationSummary } from './controlled-grader-api';

/** The async part (virtual clock, services, drivers) and the controlled runs live in files of their own. */
export * from './async-grader-api';
export * from './controlled-grader-api';

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
  /**
   * Runs `body` as part of hidden check `checkId` (declared `hidden` in exercise.json): every run it
   * makes is that check's. The console lines those runs print, a fatal outcome that ends grading
   * among them (and where it points) and how the check failed are tagged in the report; students
   * are shown only that the check failed and how (graders/lib/hidden-check.ts, docs/authoring.md).
   * Any run whose input belongs to a hidden check goes in here, wherever the grader makes it.
   * Scopes do not nest.
   */
  hiddenCheck<T>(checkId: string, body: () => Promise<T>): Promise<T>;
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
 * imports, no closure variables. The outer function is called once (with ThreadTools), BEFORE the submission loads,
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
export type ThreadCode = (
  tools: ThreadTools,
) => (exports: Record<string, unknown>, shared: never, thread: ThreadInfo) => unknown;

/**
 * Handed to the thread code's factory. In a real run (`runThreads`) `scheduled` returns the view
 * itself and `point` does nothing, so one ThreadCode serves both kinds of run.
 */
export interface ThreadTools {
  /** True in a controlled run (`explore`): one thread moves at a time and real time means nothing. */
  readonly controlled: boolean;
  /**
   * The view as the submission should get it: in a controlled run every element read and write
   * through it is a scheduling step. Views the grader builds with constructors its factory captured
   * are not (use them for the grader's own bookkeeping); views the submission builds itself are.
   */
  scheduled<T>(view: T): T;
  /** A step of the grader's own code, in the trace as a `point` with `code` and `arg` (e.g. "eats"). */
  point(code: number, arg?: number): void;
}

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
  /**
   * Runs the scenario under the controlled scheduler, `runs` times with seeded schedules, and hands
   * each run to `judge`. Fatal outcomes (memory, a module that throws on load, too much output, the
   * grading's deadline) end grading as verdicts, as in runThreads.
   */
  explore(scenario: ControlledScenario): Promise<ExplorationSummary>;
  runMain(scenario: MainRunScenario): Promise<MainRunEvidence>;
  /**
   * Cores this grading has to itself (no other grading runs on them), when the exercise asks for
   * dedicated cores (`limits.dedicatedCores`); 0 when it shares the machine.
   */
  readonly dedicatedCores: number;
}
