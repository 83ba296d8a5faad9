/**
 * The queue of submissions waiting to be graded. Two drivers implement it (BullMQ on Redis,
 * and an in-process one for the embedded default); nothing else knows which one runs.
 * The database stays the source of truth: a job carries only the submission id, and a lost
 * job is found again by the reconciler, so the queue may drop or repeat a job without harm.
 */
export interface GradingJob {
  submissionId: string;
}

export type GradingHandler = (job: GradingJob) => Promise<void>;

export interface GradingQueue {
  /** Adds a job; adding the same submission id while it is still waiting is a no-op. */
  enqueue(job: GradingJob): Promise<void>;
  /** Starts consuming with at most `concurrency` jobs at once in this process. */
  consume(handler: GradingHandler, concurrency: number): Promise<void>;
  /**
   * Resolves true once a job for this submission has been handled by a consumer anywhere (graded,
   * given back, or skipped because another worker holds it), false after `timeoutMs`. A hint to read
   * the database again, never the answer: a notice can be missed, so callers still re-read now and then.
   */
  jobHandled(submissionId: string, timeoutMs: number): Promise<boolean>;
  /** Jobs waiting or in progress, for back-pressure and health. */
  depth(): Promise<number>;
  /** Throws if the backing service does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const GRADING_QUEUE = Symbol('GRADING_QUEUE');
