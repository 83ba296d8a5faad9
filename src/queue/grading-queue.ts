/**
 * The queue of submissions waiting to be graded. Two drivers implement it (BullMQ on Redis,
 * and an in-process one for the embedded default); nothing else knows which one runs.
 * The database stays the source of truth: a job carries only the submission id, and a lost
 * job is found again by the reconciler, so the queue may drop or repeat a job without harm.
 */
export interface GradingJob {
  submissionId: string;
}

/** A handler's answer when the job must be offered again later (its submission was handed back). */
export interface RetryJob {
  retryInMs: number;
}

export type GradingHandler = (job: GradingJob) => Promise<RetryJob | void>;

export interface GradingQueue {
  /**
   * Adds a job; adding the same submission id while it is still waiting is a no-op. Rejects within
   * a few seconds when the backing service does not answer, never hangs: the caller's submission is
   * already committed, and the reconciler queues it once the queue is back.
   */
  enqueue(job: GradingJob): Promise<void>;
  /**
   * Queues those of these submissions that have no job waiting, delayed or in progress, and returns
   * them: what the reconciler uses, so a submission merely waiting its turn is not counted as lost.
   */
  enqueueMissing(submissionIds: readonly string[]): Promise<string[]>;
  /**
   * Starts consuming with at most `concurrency` jobs at once in this process. A handler that returns
   * a RetryJob has its job offered again after that delay; the delay is kept by the queue itself
   * (in Redis for BullMQ), so it survives this process.
   */
  consume(handler: GradingHandler, concurrency: number): Promise<void>;
  /**
   * Takes no new job, and resolves once every job in hand has been handled. Enqueuing still works
   * (a job handed back at shutdown is queued for the next worker), until close().
   */
  stopConsuming(): Promise<void>;
  /**
   * Resolves true once a job for this submission has been handled by a consumer anywhere (graded,
   * given back, or skipped because another worker holds it), false after `timeoutMs`. A hint to read
   * the database again, never the answer: a notice can be missed, so callers still re-read now and then.
   */
  jobHandled(submissionId: string, timeoutMs: number): Promise<boolean>;
  /** Jobs waiting or in progress, for health. */
  depth(): Promise<number>;
  /** Throws if the backing service does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const GRADING_QUEUE = Symbol('GRADING_QUEUE');
