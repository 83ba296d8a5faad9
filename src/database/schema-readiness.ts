import type { LoggerService } from '@nestjs/common';
import { defaultMigrationsDir } from './database-connection';
import { readMigrations } from './migrator';
import type { PrismaService } from './prisma.service';

const POLL_MS = 1000;

/**
 * Resolves once every migration this build ships has been applied (by an API process: workers never
 * migrate), so a worker started beside a fresh API does not query tables that do not exist yet.
 */
export async function waitForSchema(prisma: PrismaService, logger: LoggerService): Promise<void> {
  const expected = (await readMigrations(defaultMigrationsDir())).map((migration) => migration.name);
  let told = false;
  for (;;) {
    const applied = await appliedMigrations(prisma);
    const missing = expected.filter((name) => !applied.has(name));
    if (missing.length === 0) return;
    if (!told) logger.log(`waiting for the API to apply migrations: ${missing.join(', ')}`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function appliedMigrations(prisma: PrismaService): Promise<Set<string>> {
  try {
    const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    return new Set(rows.map((row) => row.migration_name));
  } catch {
    return new Set(); // the table itself does not exist yet
  }
}
