import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BullmqGradingQueue } from './bullmq-grading-queue';
import { GRADING_QUEUE, GradingQueue } from './grading-queue';
import { InProcessGradingQueue } from './in-process-grading-queue';

/** Chooses the queue driver from configuration; everything else injects GRADING_QUEUE and stays unaware. */
@Global()
@Module({
  providers: [
    {
      provide: GRADING_QUEUE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): GradingQueue =>
        config.queue.kind === 'redis'
          ? new BullmqGradingQueue({
              redisUrl: config.queue.url,
              prefix: config.queue.prefix,
              lockDurationMs: config.grading.leaseMs,
            })
          : new InProcessGradingQueue(),
    },
  ],
  exports: [GRADING_QUEUE],
})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Inject(GRADING_QUEUE) private readonly queue: GradingQueue) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
