import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { waitForSchema } from '../database/schema-readiness';
import { PrismaService } from '../database/prisma.service';
import { GRADING_QUEUE, GradingQueue, RetryJob } from '../queue/grading-queue';
import { SandboxPoolClosedError, UnknownExerciseError } from '../sandbox/sandbox-pool';
import { GradeOutcome, SubmissionsRepository } from '../submissions/submissions.repository';
import { LeaseHeartbeat } from './lease-heartbeat';
import { SandboxPoolHolder } from './sandbox-pool.provider';

/** Attempts at grading one submission before it is given up as `error` (a crash of ours, not a verdict). */
export const MAX_GRADING_ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;
// How long a finished grading waits for the database to take its report (a Postgres restart).
const REPORT_WRITE_PATIENCE_MS = 30_000;
const REPORT_WRITE_RETRY_MS = 1000;

/**
 * Turns a queued submission into a stored report: claim it (one worker wins), grade it in the
 * sandbox, write the report once. Student mistakes are verdicts inside the report; only failures
 * of Lockstep itself reach the catch below.
 *
 * On shutdown it takes no new job, lets the gradings in hand finish for `shutdownGraceMs`, then
 * interrupts the rest and hands them back uncounted. That happens in onModuleDestroy, the first
 * shutdown phase: the database, the queue and the sandbox pool close only in the last one.
 */
@Injectable()
export class GradingProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Grading');
  private heartbeat: LeaseHeartbeat | null = null;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GRADING_QUEUE) private readonly queue: GradingQueue,
    private readonly submissions: SubmissionsRepository,
    private readonly sandbox: SandboxPoolHolder,
    private readonly prisma: PrismaService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // A worker started beside a new API waits for the API to finish migrating before taking jobs.
    await waitForSchema(this.prisma, this.logger);
    this.heartbeat = new LeaseHeartbeat(this.submissions, this.config.grading.leaseMs);
    await this.queue.consume((job) => this.grade(job.submissionId), this.config.grading.workerConcurrency);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    const drained = this.queue.stopConsuming();
    const endOfGrace = new AbortController();
    const graceOver = sleep(this.config.grading.shutdownGraceMs, 'grace over' as const, {
      signal: endOfGrace.signal,
    }).catch(() => 'drained' as const);
    const first = await Promise.race([drained.then(() => 'drained' as const), graceOver]);
    endOfGrace.abort(); // a grace of 50 s must not keep a drained process alive
    if (first === 'grace over') {
      const held = this.heartbeat?.held.length ?? 0;
      if (held > 0) this.logger.log(`shutting down: handing back ${held} submission(s) still being graded`);
      // Every grading in hand ends with SandboxPoolClosedError, which grade() hands back.
      await this.sandbox.pool.close();
    }
    await drained;
    this.heartbeat?.stop();
  }

  async grade(submissionId: string): Promise<RetryJob | void> {
    if (this.stopping) return { retryInMs: 0 };
    const submission = await this.submissions.claim(submissionId, this.config.grading.leaseMs);
    if (!submission) return; // graded already, or another worker holds it
    this.heartbeat?.hold(submission.id);
    const started = performance.now();
    try {
      const report = await this.sandbox.pool.grade({
        exercise: submission.exerciseSlug,
        code: submission.code,
      });
      await this.writeReport(submission.id, {
        status: 'graded',
        report,
        graderVersion: report.graderVersion,
        durationMs: performance.now() - started,
      });
    } catch (error) {
      return this.handleFailure(
        submission.id,
        submission.attempts,
        error as Error,
        performance.now() - started,
      );
    } finally {
      this.heartbeat?.release(submission.id);
    }
  }

  /**
   * Writes the report, waiting out a short database outage: a finished grading is not thrown away
   * because Postgres restarted meanwhile. Past REPORT_WRITE_PATIENCE_MS the error goes up, and the
   * submission comes back once its lease runs out.
   */
  private async writeReport(id: string, outcome: GradeOutcome): Promise<void> {
    const giveUpAt = Date.now() + REPORT_WRITE_PATIENCE_MS;
    for (;;) {
      try {
        await this.submissions.complete(id, outcome);
        return;
      } catch (error) {
        if (!isDatabaseUnavailable(error) || Date.now() > giveUpAt || this.stopping) throw error;
        await sleep(REPORT_WRITE_RETRY_MS);
      }
    }
  }

  private async handleFailure(
    id: string,
    attempts: number,
    error: Error,
    durationMs: number,
  ): Promise<RetryJob | void> {
    if (error instanceof SandboxPoolClosedError) {
      // This worker is stopping: no verdict on the submission, and no attempt used up.
      await this.submissions.handBack(id);
      return { retryInMs: 0 };
    }
    if (isDatabaseUnavailable(error)) {
      // Not the submission's doing, and nothing can be written now: its lease brings it back.
      this.logger.warn(`grading ${id} could not be recorded (${error.message}); it is graded again later`);
      return;
    }
    const permanent = error instanceof UnknownExerciseError;
    if (!permanent && attempts < MAX_GRADING_ATTEMPTS) {
      this.logger.warn(`grading ${id} failed on attempt ${attempts} (${error.message}); retrying`);
      await this.submissions.requeue(id);
      return { retryInMs: RETRY_DELAY_MS };
    }
    this.logger.error(`grading ${id} failed for good after ${attempts} attempts: ${error.message}`);
    await this.submissions.complete(id, {
      status: 'error',
      report: null,
      graderVersion: 'none',
      durationMs,
      errorMessage: permanent
        ? `this exercise is no longer available for grading (${error.message})`
        : 'Lockstep could not grade this submission because of an internal error; your instructor has been told',
    });
  }
}
