import { Logger } from '@nestjs/common';
import { DelayedError, Queue, QueueEvents, Worker } from 'bullmq';
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

// A command that Redis does not answer in this time fails (a stopped or partitioned Redis), and so
// does an enqueue that waits for a first connection: the submission is committed, the reconciler
// queues it later. Both well under any HTTP client's patience.
const COMMAND_TIMEOUT_MS = 2000;
// How often live workers look for jobs whose worker died (BullMQ's default is 30 s).
const STALLED_CHECK_MS = 5000;
// A job whose worker died twice in a row is dropped by BullMQ; its submission is still in the
// database, and the reconciler queues it again.
const MAX_STALLED = 2;

/**
 * The production queue: BullMQ on Redis, shared by any number of worker processes on any hosts.
 * The job id is the submission id, so queuing a submission that is already waiting is a no-op;
 * finished jobs are removed so the reconciler can queue the same submission again if it must.
 */
export class BullmqGradingQueue implements GradingQueue {
  private readonly logger = new Logger('Queue');
  /** Commands that must fail fast when Redis is away (adds, counts, pings): no offline queue. */
  private readonly connection: IORedis;
  private readonly queue: Queue<GradingJob>;
  private worker: Worker<GradingJob> | null = null;
  private workerConnection: IORedis | null = null;
  private events: QueueEvents | null = null;
  private eventsConnection: IORedis | null = null;
  private readonly handledWaiters = new HandledJobWaiters();
  private unreachableSince: number | null = null;

  constructor(private readonly options: BullmqQueueOptions) {
    this.connection = new IORedis(options.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: COMMAND_TIMEOUT_MS,
    });
    this.connection.on('error', (error: Error) => this.markUnreachable(error));
    this.connection.on('ready', () => this.markReachable());
    this.queue = new Queue<GradingJob>(GRADING_QUEUE_NAME, {
      connection: this.connection,
      prefix: options.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: true, attempts: 1 },
    });
    this.queue.on('error', () => {
      // The connection's own errors, logged once per outage above.
    });
  }

  async enqueue(job: GradingJob): Promise<void> {
    const adding = this.queue.add('grade', { submissionId: job.submissionId }, { jobId: job.submissionId });
    // Before the first connection, BullMQ waits for Redis rather than failing: bound that wait too.
    // The add may still land later, which is harmless: claiming a submission is atomic.
    adding.catch(() => undefined);
    await withTimeout(adding, COMMAND_TIMEOUT_MS, 'Redis did not answer');
  }

  async enqueueMissing(submissionIds: readonly string[]): Promise<string[]> {
    const states = await Promise.all(submissionIds.map((id) => this.queue.getJobState(id)));
    const missing = submissionIds.filter((_, i) => ['unknown', 'completed', 'failed'].includes(states[i]));
    for (const id of missing) await this.enqueue({ submissionId: id });
    return missing;
  }

  async consume(handler: GradingHandler, concurrency: number): Promise<void> {
    if (this.worker) throw new Error('this queue already has a consumer');
    // A worker blocks on its connection while it waits for jobs, so it gets one of its own, which
    // retries for as long as Redis is away (BullMQ requires that of blocking connections).
    this.workerConnection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<GradingJob>(
      GRADING_QUEUE_NAME,
      async (job, token) => {
        const retry = await handler(job.data);
        if (!retry) return;
        // Kept in Redis, so the retry does not depend on this process living until it is due.
        await job.moveToDelayed(Date.now() + retry.retryInMs, token);
        throw new DelayedError();
      },
      {
        connection: this.workerConnection,
        prefix: this.options.prefix,
        concurrency: Math.max(1, concurrency),
        lockDuration: this.options.lockDurationMs ?? 60_000,
        stalledInterval: STALLED_CHECK_MS,
        maxStalledCount: MAX_STALLED,
      },
    );
    this.worker.on('error', () => {
      // Connection errors are retried by ioredis; job failures are recorded in the database.
    });
    await this.worker.waitUntilReady();
  }

  async stopConsuming(): Promise<void> {
    // Waits for the jobs in hand, including their handing back, before it resolves.
    await this.worker?.close();
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
    this.eventsConnection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
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
    await this.connected();
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.events?.close();
    await this.queue.close().catch(() => undefined);
    // BullMQ leaves connections it was given open; they are ours to close.
    this.workerConnection?.disconnect();
    this.eventsConnection?.disconnect();
    this.connection.disconnect();
  }

  /** For tests: removes every job of this queue's prefix. */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
  }

  /** Waits (briefly) for a connection that is still being opened: commands would fail at once before. */
  private async connected(): Promise<void> {
    if (this.connection.status === 'ready') return;
    const ready = new Promise<void>((resolve) => this.connection.once('ready', resolve));
    await withTimeout(ready, COMMAND_TIMEOUT_MS, 'Redis did not answer');
  }

  /** One line when Redis goes away and one when it is back, however many retries lie between. */
  private markUnreachable(error: Error): void {
    if (this.unreachableSince !== null) return;
    this.unreachableSince = Date.now();
    this.logger.warn(
      `Redis is unreachable (${error.message}); submissions are still saved, and queued once it is back`,
    );
  }

  private markReachable(): void {
    if (this.unreachableSince === null) return;
    const seconds = ((Date.now() - this.unreachableSince) / 1000).toFixed(1);
    this.unreachableSince = null;
    this.logger.log(`Redis is reachable again after ${seconds} s`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
