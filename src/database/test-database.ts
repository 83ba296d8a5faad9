import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config/app-config';
import { DatabaseConnection, openDatabase, runMigrations } from './database-connection';
import { PrismaService } from './prisma.service';

/** For tests: a fresh, migrated database and a client on it; `drop()` removes every trace. */
export interface TestDatabase {
  readonly connection: DatabaseConnection;
  readonly prisma: PrismaService;
  drop(): Promise<void>;
}

/** The Postgres the tests create their databases on (CI exports TEST_DATABASE_URL). */
export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** An empty, uniquely named database on the test Postgres; `drop()` removes it. */
export async function createScratchPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `lockstep_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A fresh database on the test Postgres, migrated unless told otherwise, with a client on it. */
export async function createPostgresTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const scratch = await createScratchPostgresDatabase();
  return connectTestDatabase({ kind: 'postgres', url: scratch.url }, options, () => scratch.drop());
}

/** Starts a fresh embedded PGlite database in a temporary directory. */
export async function createEmbeddedTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-test-db-'));
  return connectTestDatabase({ kind: 'embedded', dir }, options, () =>
    rm(dir, { recursive: true, force: true }),
  );
}

async function connectTestDatabase(
  config: DatabaseConfig,
  options: { migrate?: boolean },
  removeDatabase: () => Promise<void>,
): Promise<TestDatabase> {
  const connection = await openDatabase(config);
  if (options.migrate !== false) await runMigrations(connection);
  const prisma = await PrismaService.connect(connection);
  return {
    connection,
    prisma,
    async drop() {
      await prisma.close();
      await removeDatabase();
    },
  };
}
