import type { SourceLocation } from '../../grading/grade-report';

/** How one thread ended. */
export type ThreadEnd =
  | { kind: 'returned'; value: unknown }
  /** The submission threw, while its module loaded in this thread or while the thread code ran. */
  | { kind: 'threw'; phase: 'load' | 'run'; message: string; location?: SourceLocation }
  /** Loaded, but the run never started because another thread's module failed to load. */
  | { kind: 'not-started' }
  /** Still running, or blocked, when the run was stopped (deadline, or another thread over its memory). */
  | { kind: 'stopped' }
  /** Passed its isolate's memory limit; this stops the whole run. */
  | { kind: 'memory_limit'; message: string };

/** What the host saw of one thread. Nothing here comes from the submission's own bookkeeping. */
export interface ThreadEvidence {
  index: number;
  threadId: number;
  end: ThreadEnd;
  /** Estimated CPU time of the run, time blocked in Atomics.wait excluded (docs/threads.md). */
  cpuMs: number;
  /** Time blocked in Atomics.wait, the start barrier included. */
  blockedMs: number;
  /** Calls of Atomics.wait that returned (the start barrier's included). */
  waits: number;
  /** Was the thread blocked in Atomics.wait when the run ended (a stopped thread that was waiting). */
  blockedAtEnd: boolean;
}

export interface ThreadRunOutcome {
  /**
   * completed: every thread returned or threw; timeout: the wall-time limit stopped the threads still
   * running; memory_limit: a thread passed its memory limit and the others were stopped; load_error:
   * the module threw on load in some thread, so no thread code ran.
   */
  status: 'completed' | 'timeout' | 'memory_limit' | 'load_error';
  /** Real time from the start barrier's release to the last thread's end (0 if never released). */
  wallMs: number;
  threads: ThreadEvidence[];
}
