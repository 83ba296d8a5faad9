import { ConsoleBudget } from '../console-budget';
import type { GradingDeadline } from '../grading-deadline';
import { START_BARRIER_SLOTS } from '../isolate/threads/thread-contract';
import type { ThrownError } from '../isolate/isolate-contract';
import { isAllocationFailure } from '../thrown-error-verdict';
import { DeadlockWatchdog } from './deadlock-watchdog';
import type { GraderSharedBuffers } from './grader-shared-buffers';
import type { StudentThread, ThreadTimes } from './student-thread';
import type {
  ThreadEnd,
  ThreadEvidence,
  ThreadRunOutcome,
  ThreadRunStatus,
  ThreadWaitSite,
} from './thread-run-outcome';
import type { ThreadRunRequest } from './thread-runtime';
import { hostWaitAsync } from './host-wait-async';

/** Console output a run may print when the caller gives no budget of its own. */
const DEFAULT_CONSOLE_BYTES = 1 << 20;

interface ThreadRecord {
  end?: ThreadEnd;
  times?: ThreadTimes;
}

type StopReason = Extract<ThreadRunStatus, 'timeout' | 'deadlock' | 'memory_limit' | 'output_limit'>;

/** One run's lifecycle: load, start barrier, run, and the stop that the deadline, the watchdog or a dying thread causes. */
export class ThreadRun {
  private stopped:
    { reason: StopReason; times: ThreadTimes[]; waitingOn: (ThreadWaitSite | null)[] } | undefined;
  private readonly records: ThreadRecord[];
  private readonly console: string[] = [];
  private readonly budget: ConsoleBudget;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;
  private startedAt: number | undefined;
  private endedAt: number | undefined;
  private finished = false;

  constructor(
    private readonly threads: StudentThread[],
    private readonly start: Int32Array,
    private readonly request: ThreadRunRequest,
    private readonly buffers: GraderSharedBuffers,
    private readonly pollMs: number | undefined,
  ) {
    this.records = Array.from({ length: request.threadCount }, () => ({}));
    this.budget = request.console ?? new ConsoleBudget(DEFAULT_CONSOLE_BYTES);
  }

  /** A console line of a thread, on the host's event loop; past the budget the run stops. */
  printed(line: string): void {
    // A line that reaches the host after the run ended belongs to no run's evidence.
    if (this.stopped || this.finished) return;
    if (this.budget.write(line)) this.console.push(line);
    else this.stop('output_limit');
  }

  async run(deadline: GradingDeadline): Promise<ThreadRunOutcome> {
    this.deadlineTimer = setTimeout(() => this.stop('timeout'), deadline.remainingMs());
    try {
      const loaded = await Promise.all(this.threads.map((thread, index) => this.load(thread, index)));
      if (this.stopped || !loaded.every(Boolean)) return this.outcome();
      const keys = this.buffers.keys();
      const running = this.threads.map((thread, index) => this.runThread(thread, index, keys));
      await this.releaseTogether();
      if (this.pollMs !== undefined && !this.stopped)
        this.watch(new DeadlockWatchdog(this.buffers), this.pollMs);
      await Promise.all(running);
      return this.outcome();
    } finally {
      this.finished = true;
      clearTimeout(this.deadlineTimer);
      clearTimeout(this.watchdogTimer);
    }
  }

  private async load(thread: StudentThread, index: number): Promise<boolean> {
    const end = await thread.load();
    if (end.kind === 'isolate-died') return this.died(index, end.message);
    if (!end.value.ok) this.records[index].end = this.threw('load', end.value.error);
    return end.value.ok;
  }

  private async runThread(thread: StudentThread, index: number, keys: string[]): Promise<void> {
    const end = await thread.run(this.request.shared, keys);
    if (end.kind === 'isolate-died') return void this.died(index, end.message);
    this.records[index].times = thread.times();
    const result = end.value;
    if (result.ok) this.records[index].end = { kind: 'returned', value: result.value };
    else if ('uncopyableResult' in result)
      this.records[index].end = { kind: 'uncopyable-result', message: result.uncopyableResult };
    else this.records[index].end = this.threw('run', result.error);
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
    if (isAllocationFailure(error.message)) {
      // A buffer the thread's isolate could not hold: the same verdict as in one isolate or a worker.
      if (!this.stopped) this.stop('memory_limit');
      const limit = this.request.limits.memoryMbPerThread;
      return {
        kind: 'memory_limit',
        message: `${error.message} (more than the ${limit} MB a thread may use)`,
      };
    }
    const location = this.request.submission.sourceMap.locateStack(error.stack);
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
      const waited = hostWaitAsync(this.start, arrived, count, 20);
      if (waited.async) await waited.value;
    }
    for (const thread of this.threads) thread.released();
    this.startedAt = performance.now();
    Atomics.store(this.start, go, 1);
    Atomics.notify(this.start, go);
  }

  /** Polls the threads' wait evidence until the run ends, and stops it once the watchdog sees a deadlock. */
  private watch(watchdog: DeadlockWatchdog, pollMs: number): void {
    const poll = () => {
      if (this.stopped || this.records.every((record) => record.end)) return;
      const threads = this.threads.map((thread, index) => ({
        live: this.records[index].end === undefined,
        evidence: thread.evidenceNow(),
      }));
      if (watchdog.poll(threads)) this.stop('deadlock');
      else this.watchdogTimer = setTimeout(poll, pollMs);
    };
    this.watchdogTimer = setTimeout(poll, pollMs);
  }

  private stop(reason: StopReason): void {
    if (this.stopped) return;
    // Read every thread's evidence before its isolate goes, so a stopped thread still shows what it did.
    const times = this.threads.map((thread) => thread.times());
    const waitingOn = times.map((time, index) => (this.records[index].end ? null : this.waitSite(time)));
    this.stopped = { reason, times, waitingOn };
    this.endedAt = performance.now();
    for (const thread of this.threads) thread.dispose();
  }

  private waitSite(times: ThreadTimes): ThreadWaitSite | null {
    const site = times.site;
    if (!site) return null;
    return {
      buffer: this.buffers.keyOf(site.buffer),
      index: site.index,
      expected: site.expected,
      current: this.buffers.currentValue(site),
      timeoutMs: site.timeoutMs === Infinity ? null : site.timeoutMs,
    };
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
        waitingOn: (end.kind === 'stopped' && this.stopped?.waitingOn[index]) || null,
      };
    });
    const status = this.stopped?.reason ?? (loadFailed ? 'load_error' : 'completed');
    return {
      status,
      wallMs: this.startedAt === undefined ? 0 : endedAt - this.startedAt,
      threads,
      lostWakeups: status === 'deadlock' ? lostWakeups(threads) : [],
      console: [...this.console],
    };
  }
}

/**
 * At a deadlock no wake-up is on its way (the watchdog checked), so a thread whose awaited cell no
 * longer holds the value it expects was never told: the change came without a notify.
 */
function lostWakeups(threads: ThreadEvidence[]): number[] {
  return threads
    .filter(
      (thread) => thread.waitingOn?.current != null && thread.waitingOn.current !== thread.waitingOn.expected,
    )
    .map((thread) => thread.index);
}
