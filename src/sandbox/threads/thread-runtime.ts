/**
 * Real threads for student code: one isolated-vm isolate per thread, run at the same time on
 * isolated-vm's thread pool, sharing the SharedArrayBuffers the grader allocated.
 *
 * What isolated-vm does here (measured on the 2-core host with 5.0.4 on Node 20 and 7.0.2 on Node
 * 24/26; details in docs/threads.md, kept true by the specs in src/sandbox/platform/):
 * - A SAB given through `new ivm.ExternalCopy(sab).copyInto()` (or nested in a copied argument) stays
 *   shared between isolates and the host; `Atomics.wait` in one isolate is woken by `Atomics.notify`
 *   in another; 2 x 1e6 `Atomics.add` from two isolates give exactly 2e6, while `c[0] = c[0] + 1`
 *   loses a quarter to half of the increments.
 * - Isolates entered with the async calls run at the same time (two 200 ms spins: 400 ms in turn,
 *   201 ms together); the pool has cores + 1 threads and starts extra ones when all are busy.
 * - Disposing an isolate blocked in Atomics.wait ends its call within 1-2 ms: that is how the
 *   wall-time limit stops threads (16 blocked isolates disposed in 2 ms).
 * - `isolate.cpuTime` is time entered, not CPU: 400 ms asleep in Atomics.wait adds 400 ms (the
 *   process used 9 ms), and time preempted counts. So the bootstrap measures blocked time itself
 *   and the CPU estimate is cpuTime minus that (see StudentThread.times).
 * - A sync host callback from a pool thread costs about 190 µs (it waits for Node's main thread),
 *   so nothing per-wait calls the host; console lines use an `ignored` callback, and the wait
 *   evidence goes through a shared buffer the host polls (the deadlock watchdog).
 */
import type { ConsoleBudget } from '../console-budget';
import { GradingDeadline } from '../grading-deadline';
import { START_BARRIER_BYTES } from '../isolate/threads/thread-contract';
import { SandboxVerdictError } from '../sandbox-verdict-error';
import type { CompiledSubmission } from '../transpile-submission';
import { DEFAULT_WATCHDOG_POLL_MS, MIN_WATCHDOG_POLL_MS } from './deadlock-watchdog';
import { GraderSharedBuffers } from './grader-shared-buffers';
import { StudentThread } from './student-thread';
import { ThreadRun } from './thread-run';
import type { ThreadRunOutcome } from './thread-run-outcome';

export type {
  ThreadEnd,
  ThreadEvidence,
  ThreadRunOutcome,
  ThreadRunStatus,
  ThreadWaitSite,
} from './thread-run-outcome';

/** Default and cap of the number of threads in one run (Judge0's rule: every default has a cap). */
export const DEFAULT_MAX_THREADS = 16;
export const MAX_THREADS_CAP = 64;

export interface ThreadRunLimits {
  /** Real time for loading and running all threads; when it passes every thread is stopped. */
  wallTimeMs: number;
  memoryMbPerThread: number;
  /** At most this many threads (default 16, at most MAX_THREADS_CAP). */
  maxThreads?: number;
}

export interface ThreadRunRequest {
  submission: CompiledSubmission;
  threadCount: number;
  /**
   * Trusted grader code run in every thread: a factory `() => (exports, shared, thread) => result`,
   * as source text. The factory is called before the submission loads (it captures the built-ins
   * the body needs); the body is called once all threads are at the start barrier, with
   * `thread` = `{ index, threadId, count }`.
   */
  threadSource: string;
  /** Copied into each thread; SharedArrayBuffers in it stay shared. Top-level buffers are named in wait sites. */
  shared: Record<string, unknown>;
  limits: ThreadRunLimits;
  /** The grading's console budget; a run that prints past it stops as `output_limit`. */
  console?: ConsoleBudget;
  /** Poll interval of the deadlock watchdog (default 50 ms); false turns it off. */
  watchdog?: { pollMs?: number } | false;
}

/**
 * Loads the submission in `threadCount` fresh isolates, releases them together from a start barrier
 * and runs the grader's thread code in each. Reports what happened to every thread; every isolate
 * is disposed before it returns. More threads than the limit is a runtime_error verdict.
 */
export async function runThreads(request: ThreadRunRequest): Promise<ThreadRunOutcome> {
  const maxThreads = Math.min(request.limits.maxThreads ?? DEFAULT_MAX_THREADS, MAX_THREADS_CAP);
  if (!Number.isInteger(request.threadCount) || request.threadCount < 1)
    throw new Error(`runThreads needs a whole number of threads, got ${request.threadCount}`);
  if (request.threadCount > maxThreads) {
    throw new SandboxVerdictError(
      'runtime_error',
      `${request.threadCount} threads were started; a submission may use at most ${maxThreads} threads at once`,
    );
  }
  const pollMs = request.watchdog === false ? undefined : watchdogPollMs(request.watchdog?.pollMs);
  const deadline = new GradingDeadline(request.limits.wallTimeMs);
  const start = new Int32Array(new SharedArrayBuffer(START_BARRIER_BYTES));
  const buffers = new GraderSharedBuffers(request.shared);
  const threads: StudentThread[] = [];
  const run = new ThreadRun(threads, start, request, buffers, pollMs);
  try {
    for (let index = 0; index < request.threadCount; index++) {
      threads.push(
        new StudentThread({
          index,
          count: request.threadCount,
          submission: request.submission,
          threadSource: request.threadSource,
          memoryMb: request.limits.memoryMbPerThread,
          start: start.buffer as SharedArrayBuffer,
          log: (line) => run.printed(line),
        }),
      );
    }
    return await run.run(deadline);
  } finally {
    for (const thread of threads) thread.dispose();
  }
}

function watchdogPollMs(pollMs: number | undefined): number {
  if (pollMs === undefined) return DEFAULT_WATCHDOG_POLL_MS;
  if (!Number.isFinite(pollMs) || pollMs < MIN_WATCHDOG_POLL_MS)
    throw new Error(
      `the watchdog's pollMs must be a number of at least ${MIN_WATCHDOG_POLL_MS}, got ${pollMs}`,
    );
  return pollMs;
}
