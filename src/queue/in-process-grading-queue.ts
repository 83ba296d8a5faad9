import type { GradingHandler, GradingJob, GradingQueue } from './grading-queue';
import { HandledJobWaiters } from './handled-job-waiters';

/**
 * The embedded default's queue: a FIFO in this process's memory. It forgets everything on restart,
 * which is safe because the database is the source of truth: the reconciler re-queues what was
 * left `queued` or `running` when it starts.
 */
export class InProcessGradingQueue implements GradingQueue {
  private readonly waiting: GradingJob[] = [];
  /** Ids waiting, delayed or being handled, so the same submission is never queued twice at once. */
  private readonly known = new Set<string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private handler: GradingHandler | null = null;
  private concurrency = 1;
  private running = 0;
  private consuming = true;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly handledWaiters = new HandledJobWaiters();

  async enqueue(job: GradingJob): Promise<void> {
    if (this.closed) throw new Error('the grading queue is closed');
    if (this.known.has(job.submissionId)) return;
    this.known.add(job.submissionId);
    this.waiting.push({ submissionId: job.submissionId });
    this.pump();
  }

  async enqueueMissing(submissionIds: readonly string[]): Promise<string[]> {
    const missing = submissionIds.filter((id) => !this.known.has(id));
    for (const id of missing) await this.enqueue({ submissionId: id });
    return missing;
  }

  async consume(handler: GradingHandler, concurrency: number): Promise<void> {
    if (this.handler) throw new Error('this queue already has a consumer');
    this.handler = handler;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  /** Takes no new job and waits for the ones in progress; waiting jobs are left to the reconciler. */
  async stopConsuming(): Promise<void> {
    this.consuming = false;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    if (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  jobHandled(submissionId: string, timeoutMs: number): Promise<boolean> {
    return this.handledWaiters.wait(submissionId, timeoutMs);
  }

  async depth(): Promise<number> {
    return this.known.size;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the grading queue is closed');
  }

  async close(): Promise<void> {
    await this.stopConsuming();
    this.closed = true;
  }

  private pump(): void {
    while (this.consuming && this.handler && this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      void this.run(this.handler, job);
    }
  }

  private async run(handler: GradingHandler, job: GradingJob): Promise<void> {
    let retryInMs: number | undefined;
    try {
      retryInMs = (await handler(job))?.retryInMs;
    } catch {
      // The handler records failures in the database; a job that threw is found again by the reconciler.
    } finally {
      this.running--;
      if (retryInMs !== undefined && this.consuming) this.retryLater(job, retryInMs);
      else this.known.delete(job.submissionId);
      this.handledWaiters.handled(job.submissionId);
      if (this.running === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      this.pump();
    }
  }

  /** In memory like the rest of this queue: after a restart the reconciler finds the submission queued. */
  private retryLater(job: GradingJob, delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.waiting.push(job);
      this.pump();
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }
}
