/**
 * Real threads for student code: one isolated-vm isolate per thread, run at the same time on
 * isolated-vm's thread pool, sharing the SharedArrayBuffers the grader allocated.
 *
 * What isolated-vm 5.0.4 does here (measured on the 2-core host; details in docs/threads.md, kept
 * true by isolated-vm-platform.spec.ts):
 * - A SAB given through `new ivm.ExternalCopy(sab).copyInto()` (or nested in a copied argument) stays
 *   shared between isolates and the host; `Atomics.wait` in one isolate is woken by `Atomics.notify`
 *   in another; 2 x 1e6 `Atomics.add` from two isolates give exactly 2e6, while `c[0] = c[0] + 1`
 *   loses a quarter to half of the increments.
 * - Isolates entered with the async calls run at the same time (two 200 ms spins: 400 ms in turn,
 *   201 ms together); the pool has cores + 1 threads and starts extra ones when all are busy.
 * - Disposing an isolate blocked in Atomics.wait ends its call within 1-2 ms: that is how the
 *   wall-time limit stops threads (16 blocked isolates disposed in 2 ms).
 * - `isolate.cpuTime` is time entered, not CPU: 500 ms asleep in Atomics.wait adds 500 ms (the
 *   process used 4 ms), and time preempted counts. So the bootstrap measures blocked time itself
 *   and the CPU estimate is cpuTime minus that (see StudentThread.times).
 * - A sync host callback from a pool thread costs about 190 µs (it waits for Node's main thread),
 *   so nothing per-wait calls the host; console lines use an `ignored` callback.
 */
import { ConsoleBudget } from '../console-budget';
import { GradingDeadline } from '../grading-deadline';
import { START_BARRIER_BYTES, START_BARRIER_SLOTS } from '../isolate/threads/thread-contract';
import { SandboxVerdictError } from '../sandbox-verdict-error';
import type { CompiledSubmission } from '../transpile-submission';
import { StudentThread, type ThreadTimes } from './student-thread';
import type { ThreadEnd, ThreadEvidence, ThreadRunOutcome } from './thread-run-outcome';
import type { ThrownError } from '../isolate/isolate-contract';

export type { ThreadEnd, ThreadEvidence, ThreadRunOutcome } from './thread-run-outcome';

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
   * Trusted grader code run in every thread: a function expression `(exports, shared, thread) => result`,
   * evaluated before the submission loads (capture built-ins there if the body needs them) and called
   * once all threads are at the start barrier. `thread` is `{ index, threadId, count }`.
   */
  threadSource: string;
  /** Copied into each thread; SharedArrayBuffers in it stay shared. */
  shared: unknown;
  limits: ThreadRunLimits;
  console?: ConsoleBudget;
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
  const deadline = new GradingDeadline(request.limits.wallTimeMs);
  const start = new Int32Array(new SharedArrayBuffer(START_BARRIER_BYTES));
  const threads: StudentThread[] = [];
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
          console: request.console,
        }),
      );
    }
    return await new ThreadRun(threads, start, request.submission, deadline).run(request.shared);
  } finally {
    for (const thread of threads) thread.dispose();
  }
}

/** Node 20 has Atomics.waitAsync; the ES2023 lib does not declare it yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: boolean; value: unknown };
  }
).waitAsync;

interface ThreadRecord {
  end?: ThreadEnd;
  times?: ThreadTimes;
}

type StopReason = 'timeout' | 'memory_limit';

/** One run's lifecycle: load, start barrier, run, and the stop that the deadline or a dying thread causes. */
class ThreadRun {
  private stopped: { reason: StopReason; times: ThreadTimes[] } | undefined;
  private readonly records: ThreadRecord[];
  private readonly deadlineTimer: NodeJS.Timeout;
  private startedAt: number | undefined;
  private endedAt: number | undefined;

  constructor(
    private readonly threads: StudentThread[],
    private readonly start: Int32Array,
    private readonly submission: CompiledSubmission,
    deadline: GradingDeadline,
  ) {
    this.records = threads.map(() => ({}));
    this.deadlineTimer = setTimeout(() => this.stop('timeout'), deadline.remainingMs());
  }

  async run(shared: unknown): Promise<ThreadRunOutcome> {
    try {
      const loaded = await Promise.all(this.threads.map((thread, index) => this.load(thread, index)));
      if (this.stopped || !loaded.every(Boolean)) return this.outcome();
      const running = this.threads.map((thread, index) => this.runThread(thread, index, shared));
      await this.releaseTogether();
      await Promise.all(running);
      return this.outcome();
    } finally {
      clearTimeout(this.deadlineTimer);
    }
  }

  private async load(thread: StudentThread, index: number): Promise<boolean> {
    const end = await thread.load();
    if (end.kind === 'isolate-died') return this.died(index, end.message);
    if (!end.value.ok) this.records[index].end = this.threw('load', end.value.error);
    return end.value.ok;
  }

  private async runThread(thread: StudentThread, index: number, shared: unknown): Promise<void> {
    const end = await thread.run(shared);
    if (end.kind === 'isolate-died') return void this.died(index, end.message);
    this.records[index].times = thread.times();
    this.records[index].end = end.value.ok
      ? { kind: 'returned', value: end.value.value }
      : this.threw('run', end.value.error);
  }

  /** An isolate that died without the run stopping it passed its memory limit (isolated-vm disposes it then). */
  private died(index: number, message: string): false {
    if (!this.stopped) {
      this.records[index].end = { kind: 'memory_limit', message };
      this.stop('memory_limit');
    }
    return false;
  }

  private threw(phase: 'load' | 'run', error: ThrownError): ThreadEnd {
    const location = this.submission.sourceMap.locateStack(error.stack);
    return { kind: 'threw', phase, message: error.message, ...(location ? { location } : {}) };
  }

  /** Waits until every thread is at the start barrier, then lets them all go at once. */
  private async releaseTogether(): Promise<void> {
    const { arrived, go } = START_BARRIER_SLOTS;
    for (;;) {
      const count = Atomics.load(this.start, arrived);
      if (count === this.threads.length) break;
      if (this.stopped) return;
      // Short timeouts, so a stop (the deadline, a thread dying) is noticed while waiting.
      const waited = waitAsync(this.start, arrived, count, 20);
      if (waited.async) await waited.value;
    }
    this.startedAt = performance.now();
    Atomics.store(this.start, go, 1);
    Atomics.notify(this.start, go);
  }

  private stop(reason: StopReason): void {
    if (this.stopped) return;
    // Read every thread's evidence before its isolate goes, so a stopped thread still shows what it did.
    this.stopped = { reason, times: this.threads.map((thread) => thread.times()) };
    this.endedAt = performance.now();
    for (const thread of this.threads) thread.dispose();
  }

  private outcome(): ThreadRunOutcome {
    const endedAt = this.endedAt ?? performance.now();
    const loadFailed = this.records.some(
      (record) => record.end?.kind === 'threw' && record.end.phase === 'load',
    );
    const threads = this.threads.map((thread, index): ThreadEvidence => {
      const record = this.records[index];
      const end: ThreadEnd =
        record.end ?? (loadFailed && !this.stopped ? { kind: 'not-started' } : { kind: 'stopped' });
      const times = record.times ?? this.stopped?.times[index] ?? thread.times();
      return {
        index,
        threadId: thread.threadId,
        end,
        cpuMs: times.cpuMs,
        blockedMs: times.blockedMs,
        waits: times.waits,
        blockedAtEnd: end.kind === 'stopped' && times.blocked,
      };
    });
    const status = this.stopped?.reason ?? (loadFailed ? 'load_error' : 'completed');
    return { status, wallMs: this.startedAt === undefined ? 0 : endedAt - this.startedAt, threads };
  }
}
