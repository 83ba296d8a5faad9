import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatabaseConnection, openDatabase, runMigrations } from './database-connection';
import { MigrationResult } from './migrator';
import { PrismaService } from './prisma.service';

export const DATABASE_CONNECTION = Symbol('DATABASE_CONNECTION');

/** Applies pending SQL migrations; the API does this at start-up, workers never do. Idempotent. */
@Injectable()
export class MigrationRunner {
  private readonly logger = new Logger('Migrations');

  constructor(@Inject(DATABASE_CONNECTION) private readonly connection: DatabaseConnection) {}

  async runMigrations(): Promise<MigrationResult> {
    const result = await runMigrations(this.connection);
    for (const name of result.applied) this.logger.log(`applied ${name}`);
    return result;
  }
}

/**
 * Provides PrismaService (connected, closed on module destroy) from AppConfig. In the `all` and `api`
 * roles the schema is migrated before PrismaService exists, so nothing that injects it (such as the
 * exercise sync at start-up) can run on an old schema; workers wait for the API to migrate.
 */
@Global()
@Module({
  providers: [
    {
      provide: DATABASE_CONNECTION,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openDatabase(config.database),
    },
    MigrationRunner,
    {
      provide: PrismaService,
      inject: [APP_CONFIG, DATABASE_CONNECTION, MigrationRunner],
      useFactory: async (config: AppConfig, connection: DatabaseConnection, migrations: MigrationRunner) => {
        if (config.role !== 'worker') await migrations.runMigrations();
        return PrismaService.connect(connection);
      },
    },
  ],
  exports: [PrismaService, MigrationRunner],
})
export class DatabaseModule {}
