import type { SourceLocation } from '../../grading/grade-report';

/** How one thread ended. */
export type ThreadEnd =
  | { kind: 'returned'; value: unknown }
  /** The submission threw, while its module loaded in this thread or while the thread code ran. */
  | { kind: 'threw'; phase: 'load' | 'run'; message: string; location?: SourceLocation }
  /** The thread code returned a value that cannot be structured-cloned to the host. */
  | { kind: 'uncopyable-result'; message: string }
  /** Loaded, but the run never started because another thread's module failed to load. */
  | { kind: 'not-started' }
  /** Still running, or blocked, when the run was stopped (deadline, deadlock, another thread's failure). */
  | { kind: 'stopped' }
  /** Passed its isolate's memory limit; this stops the whole run. */
  | { kind: 'memory_limit'; message: string };

/** A cell a thread was blocked on in Atomics.wait when the run ended. */
export interface ThreadWaitSite {
  /** The top-level key of the grader's shared memory holding the buffer; null for other memory. */
  buffer: string | null;
  /** Element index from the buffer's start, in elements of the waited array. */
  index: number;
  expected: number;
  /** The cell's value read by the host when the run ended; null when the buffer is not the grader's. */
  current: number | null;
  /** Null when the wait had no timeout. */
  timeoutMs: number | null;
}

/** What the host saw of one thread. Nothing here comes from the submission's own bookkeeping. */
export interface ThreadEvidence {
  index: number;
  threadId: number;
  end: ThreadEnd;
  /** Estimated CPU time from the start barrier's release, time blocked in Atomics.wait excluded (docs/threads.md). */
  cpuMs: number;
  /** Time blocked in Atomics.wait, the start barrier excluded. */
  blockedMs: number;
  /** Calls of Atomics.wait that returned, the start barrier excluded. */
  waits: number;
  /** Where a stopped thread was blocked in Atomics.wait when the run ended; null if it was not. */
  waitingOn: ThreadWaitSite | null;
}

export type ThreadRunStatus =
  'completed' | 'timeout' | 'deadlock' | 'memory_limit' | 'load_error' | 'output_limit';

export interface ThreadRunOutcome {
  /**
   * completed: every thread returned or threw; timeout: the wall-time limit stopped the threads still
   * running; deadlock: the watchdog saw every live thread blocked for good and stopped them;
   * memory_limit: a thread passed its memory limit and the others were stopped; load_error: the
   * module threw on load in some thread, so no thread code ran; output_limit: the threads printed
   * more than the grading's console budget and were stopped.
   */
  status: ThreadRunStatus;
  /** Real time from the start barrier's release to the last thread's end (0 if never released). */
  wallMs: number;
  threads: ThreadEvidence[];
  /** Indexes of threads blocked on a grader cell that no longer holds the expected value, with no wake-up on its way. */
  lostWakeups: number[];
  /** The console lines the threads printed during this run (also in the grading's budget). */
  console: string[];
}
