import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client, ClientConfig } from 'pg';
import type { DatabaseConfig } from '../config/app-config';
import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from './embedded-database';
import { migrate, MigrationResult, MigrationSession, readMigrations } from './migrator';

/** Where to reach the database (Postgres, or the embedded one this process started) and how to let go. */
export interface DatabaseConnection {
  readonly kind: DatabaseConfig['kind'];
  readonly clientConfig: ClientConfig;
  /** Largest pool the database tolerates; the embedded one takes one connection at a time. */
  readonly poolMax: number;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseConnection> {
  if (config.kind === 'postgres') {
    return {
      kind: 'postgres',
      // A bounded wait for a connection (or a free one in the pool): a Postgres that is stopped or cut
      // off fails a request in seconds, as a 503, instead of holding it for as long as the outage lasts.
      clientConfig: { connectionString: config.url, connectionTimeoutMillis: 10_000 },
      poolMax: 10,
      close: async () => {},
    };
  }
  const embedded = await startEmbeddedDatabase(config.dir);
  return {
    kind: 'embedded',
    clientConfig: embedded.connection,
    poolMax: EMBEDDED_POOL_SIZE,
    close: () => embedded.stop(),
  };
}

/** prisma/migrations beside package.json, from src/database or dist/src/database alike. */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'prisma', 'migrations');
}

// Migrators in one process run one after another: on the embedded database every connection is the
// same PGlite backend, so the advisory lock (which excludes other backends) cannot keep them apart.
const migrationsInProcess = new WeakMap<DatabaseConnection, Promise<unknown>>();

/** Applies pending migrations on a session of its own (the advisory lock is per session). */
export function runMigrations(
  connection: DatabaseConnection,
  migrationsDir = defaultMigrationsDir(),
): Promise<MigrationResult> {
  const previous = migrationsInProcess.get(connection) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => migrateOnOwnSession(connection, migrationsDir));
  migrationsInProcess.set(connection, next);
  return next;
}

async function migrateOnOwnSession(
  connection: DatabaseConnection,
  migrationsDir: string,
): Promise<MigrationResult> {
  const client = new Client(connection.clientConfig);
  await client.connect();
  try {
    const session: MigrationSession = {
      query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
      exec: async (script) => void (await client.query(script)),
    };
    return await migrate(session, await readMigrations(migrationsDir));
  } finally {
    await client.end();
  }
}
