import {
  CONTROL_BYTES,
  CONTROL_LAYOUT,
  MAX_CHANGE_POINTS,
  STEP_KIND_NAMES,
  threadCell,
  TRACE_FIELDS,
  type ControlLayout,
} from '../../isolate/threads/controlled-contract';

/** Who moves when, for one run: everything the scheduler decides follows from it. */
export interface ScheduleChoices {
  strategy: 'random' | 'pct';
  /** Non-zero state of the random strategy's xorshift32. */
  randomState: number;
  /** PCT's starting priority of each thread (higher moves first); any values for `random`. */
  priorities: number[];
  /** PCT's change points: at step `step`, the thread taking it drops to `priority` (below every starting one). */
  changePoints: { step: number; priority: number }[];
}

export interface ControlLimits {
  /** Steps a run may take before it ends as a step limit. */
  maxSteps: number;
  /** Under PCT, a thread that takes this many steps in a row while others wait is demoted (a spin). */
  spinLimit: number;
}

/** One step of the trace, as the control memory holds it. */
export interface RecordedStep {
  /** 1-based position of the entry in the run's trace. */
  step: number;
  thread: number;
  kind: string;
  /** Position of the grader buffer (see GraderSharedBuffers.keys), or -1. */
  buffer: number;
  index: number;
  value: number;
  extra: number;
}

/** A blocked thread's modelled wait. */
export interface RecordedWait {
  /** Position of the grader buffer, or -1 (memory only that thread could see). */
  buffer: number;
  /** Element index from the buffer's start. */
  index: number;
  elementBytes: number;
  expected: number;
  /** Null when the wait has no timeout. */
  timeoutAtMs: number | null;
}

/** The host's side of the control memory (layout in controlled-contract.ts). */
export class ControlMemory {
  readonly buffer = new SharedArrayBuffer(CONTROL_BYTES);
  readonly cells = new Int32Array(this.buffer);
  readonly layout: ControlLayout = CONTROL_LAYOUT;

  constructor(readonly threads: number) {}

  /** Clears every cell and writes the run's choices; threads start ready, the turn with nobody. */
  reset(choices: ScheduleChoices, limits: ControlLimits): void {
    const H = this.layout.header;
    if (choices.changePoints.length > MAX_CHANGE_POINTS)
      throw new Error(`at most ${MAX_CHANGE_POINTS} change points, got ${choices.changePoints.length}`);
    this.cells.fill(0);
    this.cells[H.current] = -1;
    this.cells[H.lastActor] = -1;
    this.cells[H.threads] = this.threads;
    this.cells[H.strategy] = this.layout.strategy[choices.strategy];
    this.cells[H.random] = choices.randomState | 0 || 1;
    this.cells[H.maxSteps] = limits.maxSteps;
    this.cells[H.spinLimit] = limits.spinLimit;
    this.cells[H.changeCount] = choices.changePoints.length;
    this.cells[H.nextLowPriority] = Math.min(0, ...choices.changePoints.map((point) => point.priority)) - 1;
    choices.changePoints.forEach((point, i) => {
      const at = this.layout.changeBase + i * this.layout.changeStride;
      this.cells[at] = point.step;
      this.cells[at + 1] = point.priority;
    });
    for (let thread = 0; thread < this.threads; thread++) {
      this.cells[threadCell(thread, 'state')] = this.layout.state.ready;
      this.cells[threadCell(thread, 'priority')] = choices.priorities[thread] ?? 0;
      this.cells[threadCell(thread, 'timeoutAt')] = -1;
    }
  }

  /** Gives the first turn (after every thread is at the start barrier). */
  giveTurn(thread: number): void {
    this.cells[this.layout.header.current] = thread;
    Atomics.store(this.cells, threadCell(thread, 'turn'), 1);
    Atomics.notify(this.cells, threadCell(thread, 'turn'), 1);
  }

  status(): number {
    return Atomics.load(this.cells, this.layout.header.status);
  }

  steps(): number {
    return this.cells[this.layout.header.steps];
  }

  threadSteps(thread: number): number {
    return this.cells[threadCell(thread, 'steps')];
  }

  threadState(thread: number): 'ready' | 'blocked' | 'finished' {
    const state = this.cells[threadCell(thread, 'state')];
    return state === this.layout.state.blocked
      ? 'blocked'
      : state === this.layout.state.finished
        ? 'finished'
        : 'ready';
  }

  /** Where a blocked thread sleeps; null when it is not blocked. */
  waitOf(thread: number): RecordedWait | null {
    if (this.threadState(thread) !== 'blocked') return null;
    const key = this.cells[threadCell(thread, 'waitBuffer')];
    const elementBytes = this.cells[threadCell(thread, 'waitElementBytes')];
    const timeoutAt = this.cells[threadCell(thread, 'timeoutAt')];
    return {
      buffer: key >= 0 ? key : -1,
      index: this.cells[threadCell(thread, 'waitIndex')] / elementBytes,
      elementBytes,
      expected: this.cells[threadCell(thread, 'waitExpected')],
      timeoutAtMs: timeoutAt < 0 ? null : timeoutAt,
    };
  }

  /** The last steps recorded (at most TRACE_ENTRIES), oldest first. */
  trace(): RecordedStep[] {
    const count = this.cells[this.layout.header.traceCount];
    const kept = Math.min(count, this.layout.traceEntries);
    const steps: RecordedStep[] = [];
    for (let n = count - kept; n < count; n++) {
      const at = this.layout.traceBase + (n % this.layout.traceEntries) * this.layout.traceStride;
      const field = (name: keyof typeof TRACE_FIELDS) => this.cells[at + TRACE_FIELDS[name]];
      steps.push({
        step: field('step'),
        thread: field('thread'),
        kind: STEP_KIND_NAMES[field('kind')] ?? 'unknown',
        buffer: field('buffer'),
        index: field('index'),
        value: field('value'),
        extra: field('extra'),
      });
    }
    return steps;
  }
}
