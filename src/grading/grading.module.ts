import { Module } from '@nestjs/common';
import { SubmissionsRepository } from '../submissions/submissions.repository';
import { GradingProcessor } from './grading.processor';
import { Reconciler } from './reconciler';
import { SandboxPoolHolder } from './sandbox-pool.provider';

/** The grading worker: consumes the queue, runs the sandbox, writes reports, re-queues the lost. */
@Module({
  providers: [GradingProcessor, Reconciler, SandboxPoolHolder, SubmissionsRepository],
})
export class GradingModule {}
