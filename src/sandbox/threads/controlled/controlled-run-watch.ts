import type { ConsoleBudget } from '../../console-budget';
import type { GradingDeadline } from '../../grading-deadline';
import type { SourceLocation } from '../../../grading/grade-report';
import type { ThrownError } from '../../isolate/isolate-contract';
import { isAllocationFailure } from '../../thrown-error-verdict';
import type { GraderSharedBuffers } from '../grader-shared-buffers';
import type { StudentThread } from '../student-thread';
import type { ThreadEnd } from '../thread-run-outcome';
import type { ControlMemory } from './control-memory';
import type {
  ControlledRunOutcome,
  ControlledRunStatus,
  ControlledThreadEvidence,
} from './controlled-run-outcome';
import { hostWaitAsync } from '../host-wait-async';

/** How long a finished thread's call may take to return once the run is over (copying its result). */
const FINISHED_RETURN_MS = 500;

/** How often the host looks for a thread that died or a deadline that passed while the run goes on. */
const POLL_MS = 50;

/**
 * One controlled run seen from the host: the threads' ends as their calls return, the status the
 * threads write into the control memory, the deadline, and the evidence once it is over.
 */
export class ControlledRunWatch {
  private readonly ends: (ThreadEnd | undefined)[];
  private calls: Promise<void>[] = [];
  private readonly lines: string[] = [];
  private stopped: ControlledRunStatus | undefined;
  private firstTurnAt: number | undefined;
  private endedAt: number | undefined;

  constructor(
    private readonly threads: StudentThread[],
    private readonly memory: ControlMemory,
    private readonly buffers: GraderSharedBuffers,
    private readonly budget: ConsoleBudget,
    private readonly locate: (stack: string | undefined) => SourceLocation | undefined,
  ) {
    this.ends = threads.map(() => undefined);
  }

  printed(line: string): void {
    if (this.stopped) return;
    if (this.budget.write(line)) this.lines.push(line);
    else this.stop('output_limit');
  }

  /** Loads the submission in every thread; the failed run's outcome if any thread could not. */
  async load(): Promise<ControlledRunOutcome | undefined> {
    const loaded = await Promise.all(
      this.threads.map(async (thread, index) => {
        const end = await thread.load();
        if (end.kind === 'isolate-died') return this.died(index, end.message);
        if (!end.value.ok) this.ends[index] = this.threw('load', end.value.error);
        return end.value.ok;
      }),
    );
    if (this.stopped) return this.outcome(this.stopped);
    return loaded.every(Boolean) ? undefined : this.outcome('load_error');
  }

  /** Starts every thread's run call; resolves once all have returned (or their isolates are gone). */
  startRunning(shared: Record<string, unknown>, keys: string[]): Promise<void> {
    this.ends.fill(undefined);
    this.calls = this.threads.map(async (thread, index) => {
      const end = await thread.run(shared, keys);
      if (end.kind === 'isolate-died') return void this.died(index, end.message);
      const result = end.value;
      if (result.ok) this.ends[index] = { kind: 'returned', value: result.value };
      else if ('uncopyableResult' in result)
        this.ends[index] = { kind: 'uncopyable-result', message: result.uncopyableResult };
      else this.ends[index] = this.threw('run', result.error);
    });
    return Promise.all(this.calls).then(() => undefined);
  }

  /**
   * A run that ends unfinished stops every isolate, but a thread that finished just before (e.g. the
   * one that found the deadlock) is still on its way out: let its call return first, so its end is
   * its own and not `stopped`.
   */
  async letFinishedThreadsReturn(): Promise<void> {
    const finished = this.calls.filter((_, index) => this.memory.threadState(index) === 'finished');
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, FINISHED_RETURN_MS)));
    await Promise.race([Promise.all(finished), cap]);
    clearTimeout(timer);
  }

  anyThreadEnded(): boolean {
    return this.stopped !== undefined || this.ends.some((end) => end !== undefined);
  }

  /** After the first turn is given: resolves with how the run ended. */
  async untilOver(deadline: GradingDeadline): Promise<ControlledRunStatus> {
    this.firstTurnAt = performance.now();
    const { header, status } = this.memory.layout;
    for (;;) {
      if (this.stopped) return this.stopped;
      const now = this.memory.status();
      if (now !== status.running) {
        this.endedAt = performance.now();
        return now === status.completed ? 'completed' : now === status.deadlock ? 'deadlock' : 'step-limit';
      }
      const remaining = deadline.remainingMs();
      if (remaining <= 0) return this.stop('timeout');
      const waited = hostWaitAsync(
        this.memory.cells,
        header.status,
        status.running,
        Math.min(POLL_MS, remaining),
      );
      if (waited.async) await waited.value;
    }
  }

  /** Ends the run now: every isolate goes (a spent session), so calls still inside them return. */
  stopAll(status: ControlledRunStatus): void {
    this.stopped ??= status;
    this.endedAt ??= performance.now();
    for (const thread of this.threads) thread.dispose();
  }

  outcome(status: ControlledRunStatus): ControlledRunOutcome {
    const final = this.stopped ?? status;
    const threads = this.threads.map((thread, index): ControlledThreadEvidence => {
      const end = this.ends[index] ?? { kind: 'stopped' };
      const wait = end.kind === 'stopped' ? this.memory.waitOf(index) : null;
      return {
        index,
        threadId: thread.threadId,
        end,
        steps: this.memory.threadSteps(index),
        waitingOn: wait && {
          buffer: this.buffers.keyOf(wait.buffer),
          index: wait.index,
          expected: wait.expected,
          current: this.buffers.currentValue({ ...wait, timeoutMs: Infinity }),
          timeoutMs: wait.timeoutAtMs,
        },
      };
    });
    const trace = this.memory.trace().map((step) => ({ ...step, buffer: this.buffers.keyOf(step.buffer) }));
    const endedAt = this.endedAt ?? performance.now();
    return {
      status: final,
      steps: this.memory.steps(),
      threads,
      trace,
      console: [...this.lines],
      wallMs: this.firstTurnAt === undefined ? 0 : endedAt - this.firstTurnAt,
    };
  }

  private stop(status: ControlledRunStatus): ControlledRunStatus {
    this.stopAll(status);
    return this.stopped ?? status;
  }

  /** An isolate that died without the run stopping it (stopAll) passed its memory limit. */
  private died(index: number, message: string): false {
    if (!this.stopped) {
      this.ends[index] = { kind: 'memory_limit', message };
      this.stop('memory_limit');
    }
    return false;
  }

  private threw(phase: 'load' | 'run', error: ThrownError): ThreadEnd {
    if (isAllocationFailure(error.message)) {
      if (!this.stopped) this.stop('memory_limit');
      return { kind: 'memory_limit', message: error.message };
    }
    const location = this.locate(error.stack);
    return { kind: 'threw', phase, message: error.message, ...(location ? { location } : {}) };
  }
}
