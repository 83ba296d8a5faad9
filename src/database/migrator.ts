import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One database session: the advisory lock and each migration's transaction must share it. */
export interface MigrationSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements. */
  exec(script: string): Promise<void>;
}

export interface MigrationFile {
  name: string;
  script: string;
  /** sha256 hex of the file, as Prisma computes it. */
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Stops start-up: a migration failed, or an applied one no longer matches its file. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Prisma's own advisory lock key, so `prisma migrate deploy` and this runner also exclude each other.
const ADVISORY_LOCK_KEY = 72707369;

// The table Prisma keeps, column for column, so Prisma tooling recognizes what was applied here.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Reads prisma/migrations/<timestamp>_<name>/migration.sql, oldest first. */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, script, checksum: createHash('sha256').update(script).digest('hex') };
    }),
  );
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies pending migrations, each in its own transaction, while holding a session-level advisory
 * lock: a second API process starting at the same moment waits, then finds nothing left to apply.
 */
export async function migrate(
  session: MigrationSession,
  migrations: MigrationFile[],
): Promise<MigrationResult> {
  await session.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  try {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row) {
        assertUnchanged(migration, row);
        result.alreadyApplied.push(migration.name);
      } else {
        await applyOne(session, migration);
        result.applied.push(migration.name);
      }
    }
    return result;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
  }
}

function assertUnchanged(migration: MigrationFile, row: AppliedRow): void {
  if (row.finished_at === null) {
    throw new MigrationError(
      `Migration ${migration.name} is recorded as started but never finished; repair the database by hand, then mark it rolled back in _prisma_migrations.`,
    );
  }
  if (row.checksum !== migration.checksum) {
    throw new MigrationError(
      `Migration ${migration.name} was changed after it was applied (checksum ${row.checksum} in the database, ${migration.checksum} on disk); restore the original file and put the change in a new migration.`,
    );
  }
}

async function applyOne(session: MigrationSession, migration: MigrationFile): Promise<void> {
  await session.exec('BEGIN');
  try {
    const [{ id }] = await session.query<{ id: string }>(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, $2, now(), 0) RETURNING id`,
      [migration.checksum, migration.name],
    );
    await session.exec(migration.script);
    await session.query(
      'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
      [id],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK');
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${reason}`);
  }
}
