import { ConsoleBudget } from '../../console-budget';
import type { GradingDeadline } from '../../grading-deadline';
import { chooseNextThread } from '../../isolate/threads/choose-next-thread';
import { START_BARRIER_BYTES, START_BARRIER_SLOTS } from '../../isolate/threads/thread-contract';
import type { DeterminismSettings } from '../../isolate/isolate-contract';
import type { CompiledSubmission } from '../../transpile-submission';
import { GraderSharedBuffers } from '../grader-shared-buffers';
import { StudentThread } from '../student-thread';
import { ControlMemory, type ControlLimits, type ScheduleChoices } from './control-memory';
import { ControlledRunWatch } from './controlled-run-watch';
import type { ControlledRunOutcome } from './controlled-run-outcome';
import { hostWaitAsync } from '../host-wait-async';

export interface ControlledSessionOptions {
  submission: CompiledSubmission;
  threadCount: number;
  /** The grader's thread code factory, as source text (see ThreadRunRequest.threadSource). */
  threadSource: string;
  memoryMbPerThread: number;
  /** Each thread's seeded Math.random and the clock's epoch (the clock itself is virtual). */
  determinism: (thread: number) => DeterminismSettings;
  console?: ConsoleBudget;
}

/** Between attempts to see every thread at the start barrier: short, so a stop is noticed at once. */
const START_POLL_MS = 20;

/**
 * Threads kept for many controlled runs: each run gets fresh shared memory and a fresh schedule,
 * while the isolates and the loaded submission stay (creating them costs far more than a short
 * run). A run that does not complete (deadlock, step limit, timeout, a thread dying) leaves
 * threads stuck mid-operation, so the session is then spent: `usable` turns false and every
 * isolate is disposed. Module-level state of the submission lives on from run to run of a session.
 */
export class ControlledSession {
  private readonly threads: StudentThread[] = [];
  private readonly memory: ControlMemory;
  private readonly start = new Int32Array(new SharedArrayBuffer(START_BARRIER_BYTES));
  private readonly console: ConsoleBudget;
  private loaded = false;
  private spent = false;
  private watch: ControlledRunWatch | undefined;

  constructor(private readonly options: ControlledSessionOptions) {
    this.memory = new ControlMemory(options.threadCount);
    this.console = options.console ?? new ConsoleBudget(1 << 20);
    try {
      for (let index = 0; index < options.threadCount; index++) {
        this.threads.push(
          new StudentThread({
            index,
            count: options.threadCount,
            submission: options.submission,
            threadSource: options.threadSource,
            memoryMb: options.memoryMbPerThread,
            start: this.start.buffer as SharedArrayBuffer,
            log: (line) => this.watch?.printed(line),
            controlled: {
              index,
              control: this.memory.buffer,
              layout: this.memory.layout,
              determinism: options.determinism(index),
            },
          }),
        );
      }
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  get usable(): boolean {
    return !this.spent;
  }

  /** One run under `choices`; the threads get `shared` (SharedArrayBuffers stay shared, top-level ones named). */
  async run(
    choices: ScheduleChoices,
    limits: ControlLimits,
    shared: Record<string, unknown>,
    deadline: GradingDeadline,
  ): Promise<ControlledRunOutcome> {
    if (this.spent) throw new Error('this controlled session is spent: start a new one');
    const buffers = new GraderSharedBuffers(shared);
    const locate = (stack: string | undefined) => this.options.submission.sourceMap.locateStack(stack);
    const watch = new ControlledRunWatch(this.threads, this.memory, buffers, this.console, locate);
    this.watch = watch;
    try {
      if (!this.loaded) {
        const failed = await watch.load();
        if (failed) return this.spend(failed);
        this.loaded = true;
      }
      this.memory.reset(choices, limits);
      this.start.fill(0);
      const running = watch.startRunning(shared, buffers.keys());
      if (!(await this.releaseTogether(deadline))) {
        watch.stopAll('timeout');
        await running;
        return this.spend(watch.outcome('timeout'));
      }
      const first = chooseNextThread(this.memory.cells, this.memory.layout);
      this.memory.giveTurn(first);
      const status = await watch.untilOver(deadline);
      if (status !== 'completed') {
        await watch.letFinishedThreadsReturn();
        watch.stopAll(status);
      }
      await running;
      const outcome = watch.outcome(status);
      return outcome.status === 'completed' ? outcome : this.spend(outcome);
    } finally {
      this.watch = undefined;
    }
  }

  dispose(): void {
    this.spent = true;
    for (const thread of this.threads) thread.dispose();
  }

  private spend(outcome: ControlledRunOutcome): ControlledRunOutcome {
    this.dispose();
    return outcome;
  }

  /** Waits until every thread is at the start barrier, then says go; false if the deadline passed first. */
  private async releaseTogether(deadline: GradingDeadline): Promise<boolean> {
    const { arrived, go } = START_BARRIER_SLOTS;
    for (;;) {
      const count = Atomics.load(this.start, arrived);
      if (count === this.threads.length) break;
      if (deadline.remainingMs() <= 0 || this.watch?.anyThreadEnded()) return false;
      const waited = hostWaitAsync(this.start, arrived, count, START_POLL_MS);
      if (waited.async) await waited.value;
    }
    Atomics.store(this.start, go, 1);
    Atomics.notify(this.start, go);
    return true;
  }
}
