import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ExercisesModule } from './exercises/exercises.module';
import { GradingModule } from './grading/grading.module';
import { HealthModule } from './health/health.module';
import { QueueModule } from './queue/queue.module';
import { SubmissionsModule } from './submissions/submissions.module';

/** What an HTTP API process serves. */
@Module({ imports: [AuthModule, ExercisesModule, SubmissionsModule, HealthModule] })
export class ApiModule {}

/**
 * The application for a role: `api` serves HTTP, `worker` grades, `all` (the embedded default) does
 * both in one process. Configuration, database and queue are shared infrastructure in every role.
 */
@Module({})
export class AppModule {
  static forRole(config: AppConfig): DynamicModule {
    const features = [
      ...(config.role !== 'worker' ? [ApiModule] : []),
      ...(config.role !== 'api' ? [GradingModule] : []),
    ];
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, QueueModule, ...features],
    };
  }
}
