import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { GRADING_QUEUE, GradingQueue } from '../queue/grading-queue';
import { SubmissionsRepository } from '../submissions/submissions.repository';

const BATCH = 500;

/**
 * The safety net under the queue: finds submissions left `queued` (their job was lost) or `running`
 * past their lease (their worker died) and queues them again. Claiming is atomic and a grade is
 * written once, so queuing a submission that is in fact fine costs nothing but a no-op.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GRADING_QUEUE) private readonly queue: GradingQueue,
    private readonly submissions: SubmissionsRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.queue.kind === 'in-process') await this.recoverAfterRestart();
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.config.grading.reconcileIntervalMs);
    this.timer.unref();
  }

  // The first shutdown phase, while the database and the queue are still open.
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Queues what looks lost now; returns how many submissions it queued. */
  async reconcile(now = new Date()): Promise<number> {
    // A submission queued less than one interval ago may not have reached the queue yet.
    const queuedBefore = new Date(now.getTime() - this.config.grading.reconcileIntervalMs);
    const stale = await this.submissions.findStale({ queuedBefore, now, limit: BATCH });
    // Most are merely waiting their turn behind others; only those without a job are lost.
    const lost = await this.queue.enqueueMissing(stale);
    if (lost.length)
      this.logger.log(`queued ${lost.length} submission(s) again whose job was lost or whose worker died`);
    return lost.length;
  }

  /**
   * In the single-process mode the queue lived in memory and died with the last process, so every
   * `running` submission is an orphan of it and every `queued` one lost its job: queue them all now.
   */
  private async recoverAfterRestart(): Promise<void> {
    const farFuture = new Date(8.64e15);
    const ids = await this.submissions.findStale({ queuedBefore: farFuture, now: farFuture, limit: 100_000 });
    for (const id of ids) {
      await this.submissions.requeue(id);
      await this.queue.enqueue({ submissionId: id });
    }
    if (ids.length) this.logger.log(`recovered ${ids.length} submission(s) left by the previous run`);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.reconcile().catch((error: Error) => {
      this.logger.warn(`reconciling failed: ${error.message}`);
      return 0;
    });
    await this.running;
    this.running = null;
  }
}
