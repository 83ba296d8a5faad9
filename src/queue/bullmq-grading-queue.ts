import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { GradingHandler, GradingJob, GradingQueue } from './grading-queue';

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

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    // BullMQ leaves connections it was given open; they are ours to close.
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  /** For tests: removes every job of this queue's prefix. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }
}
