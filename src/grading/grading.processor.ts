import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { waitForSchema } from '../database/schema-readiness';
import { PrismaService } from '../database/prisma.service';
import { GRADING_QUEUE, GradingQueue } from '../queue/grading-queue';
import { UnknownExerciseError } from '../sandbox/sandbox-pool';
import { SubmissionsRepository } from '../submissions/submissions.repository';
import { SandboxPoolHolder } from './sandbox-pool.provider';

/** Attempts at grading one submission before it is given up as `error` (a crash of ours, not a verdict). */
export const MAX_GRADING_ATTEMPTS = 3;
const RETRY_DELAY_MS = 1000;

/**
 * Turns a queued submission into a stored report: claim it (one worker wins), grade it in the
 * sandbox, write the report once. Student mistakes are verdicts inside the report; only failures
 * of Lockstep itself reach the catch below.
 */
@Injectable()
export class GradingProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('Grading');

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
    await this.queue.consume((job) => this.grade(job.submissionId), this.config.grading.workerConcurrency);
  }

  async grade(submissionId: string): Promise<void> {
    const submission = await this.submissions.claim(submissionId, this.config.grading.leaseMs);
    if (!submission) return; // graded already, or another worker holds it
    const started = performance.now();
    try {
      const report = await this.sandbox.pool.grade({
        exercise: submission.exerciseSlug,
        code: submission.code,
      });
      await this.submissions.complete(submission.id, {
        status: 'graded',
        report,
        graderVersion: report.graderVersion,
        durationMs: performance.now() - started,
      });
    } catch (error) {
      await this.handleFailure(
        submission.id,
        submission.attempts,
        error as Error,
        performance.now() - started,
      );
    }
  }

  private async handleFailure(id: string, attempts: number, error: Error, durationMs: number): Promise<void> {
    const permanent = error instanceof UnknownExerciseError;
    if (!permanent && attempts < MAX_GRADING_ATTEMPTS) {
      this.logger.warn(`grading ${id} failed on attempt ${attempts} (${error.message}); retrying`);
      await this.submissions.requeue(id);
      // Queued again once this job has left the queue; the reconciler is the safety net if this is lost.
      setTimeout(
        () => void this.queue.enqueue({ submissionId: id }).catch(() => undefined),
        RETRY_DELAY_MS,
      ).unref();
      return;
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
