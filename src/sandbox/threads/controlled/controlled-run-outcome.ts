import type { ThreadEnd, ThreadWaitSite } from '../thread-run-outcome';
import type { RecordedStep } from './control-memory';

/**
 * completed: every thread returned or threw. deadlock: no thread could move and some had not
 * finished (a fact of the modelled run, not a guess from timing). step-limit: the run took more
 * steps than it may. timeout: real time ran out (a thread computing without a step, or a slow
 * host). memory_limit / load_error / output_limit: as in real runs (thread-run-outcome.ts).
 */
export type ControlledRunStatus =
  'completed' | 'deadlock' | 'step-limit' | 'timeout' | 'memory_limit' | 'load_error' | 'output_limit';

export interface ControlledThreadEvidence {
  index: number;
  threadId: number;
  end: ThreadEnd;
  /** Scheduling steps this thread took. */
  steps: number;
  /** Where a thread that did not finish sleeps in a modelled Atomics.wait; null if it was not asleep. */
  waitingOn: ThreadWaitSite | null;
}

/** A step of the trace with the grader buffer's name instead of its position. */
export interface ControlledTraceStep extends Omit<RecordedStep, 'buffer'> {
  /** The top-level key of the grader's shared memory, or null for memory the grader did not allocate. */
  buffer: string | null;
}

export interface ControlledRunOutcome {
  status: ControlledRunStatus;
  steps: number;
  threads: ControlledThreadEvidence[];
  /** The last steps, oldest first. */
  trace: ControlledTraceStep[];
  console: string[];
  /** Real time of the run, from the first turn to its end. */
  wallMs: number;
}
