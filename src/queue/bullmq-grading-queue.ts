import { Queue, QueueEvents, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { GradingHandler, GradingJob, GradingQueue } from './grading-queue';
import { HandledJobWaiters } from './handled-job-waiters';

export const GRADING_QUEUE_NAME = 'lockstep-grading';

export interface BullmqQueueOptions {
  redisUrl: string;
  /** How long a worker may hold a job before BullMQ counts it as stalled and hands it to another worker. */
  lockDurationMs?: number;
  /** Key prefix, so tests can use a queue of their own on a shared Redis. */
  prefix?: string;
}

/**
 * The production queue: BullMQ on Redis, shared by any number of worker processes on any hosts.
 * The job id is the submission id, so queuing a submission that is already waiting is a no-op;
 * finished jobs are removed so the reconciler can queue the same submission again if it must.
 */
export class BullmqGradingQueue implements GradingQueue {
  private readonly connection: IORedis;
  private readonly queue: Queue<GradingJob>;
  private worker: Worker<GradingJob> | null = null;
  private workerConnection: IORedis | null = null;
  private events: QueueEvents | null = null;
  private eventsConnection: IORedis | null = null;
  private readonly handledWaiters = new HandledJobWaiters();

  constructor(private readonly options: BullmqQueueOptions) {
    // BullMQ requires maxRetriesPerRequest: null on connections that block (workers).
    this.connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
    this.connection.on('error', () => {
      // Reported through ping() and health; ioredis reconnects by itself.
    });
    this.queue = new Queue<GradingJob>(GRADING_QUEUE_NAME, {
      connection: this.connection,
      prefix: options.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
    this.queue.on('error', () => {
      // The same connection errors as above: health reports them, ioredis retries.
    });
  }

  async enqueue(job: GradingJob): Promise<void> {
    await this.queue.add('grade', { submissionId: job.submissionId }, { jobId: job.submissionId });
  }

  async consume(handler: GradingHandler, concurrency: number): Promise<void> {
    if (this.worker) throw new Error('this queue already has a consumer');
    // A worker blocks on its connection while it waits for jobs, so it gets one of its own.
    this.workerConnection = this.connection.duplicate();
    this.worker = new Worker<GradingJob>(GRADING_QUEUE_NAME, async (job) => handler(job.data), {
      connection: this.workerConnection,
      prefix: this.options.prefix,
      concurrency: Math.max(1, concurrency),
      lockDuration: this.options.lockDurationMs ?? 60_000,
      // A job whose worker died is moved back to waiting by BullMQ's stalled-job check.
      maxStalledCount: 2,
    });
    this.worker.on('error', () => {
      // Connection errors are retried by ioredis; job failures are recorded in the database.
    });
    await this.worker.waitUntilReady();
  }

  jobHandled(submissionId: string, timeoutMs: number): Promise<boolean> {
    const handled = this.handledWaiters.wait(submissionId, timeoutMs);
    this.listenForHandledJobs();
    return handled;
  }

  /**
   * Started by the first waiter (API processes only): the queue's event stream, read on a blocking
   * connection of its own. A notice it misses only delays a waiter until its next re-read of the database.
   */
  private listenForHandledJobs(): void {
    if (this.events) return;
    this.eventsConnection = this.connection.duplicate();
    this.events = new QueueEvents(GRADING_QUEUE_NAME, {
      connection: this.eventsConnection,
      prefix: this.options.prefix,
      // Read from a moment back, so a job handled while this connection was opening is seen too.
      lastEventId: `${Date.now() - 2000}-0`,
    });
    this.events.on('completed', ({ jobId }) => this.handledWaiters.handled(jobId));
    this.events.on('failed', ({ jobId }) => this.handledWaiters.handled(jobId));
    this.events.on('error', () => {
      // ioredis reconnects; meanwhile waiters fall back to re-reading the database.
    });
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.events?.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open; they are ours to close.
    this.workerConnection?.disconnect();
    this.eventsConnection?.disconnect();
    this.connection.disconnect();
  }

  /** For tests: removes every job of this queue's prefix. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
