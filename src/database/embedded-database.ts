import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { ClientConfig } from 'pg';

/**
 * The embedded database: PGlite (Postgres compiled to WebAssembly) keeping its files in `dataDir`,
 * served on a private Unix socket so the app reaches it exactly as it reaches Postgres in production
 * (@prisma/adapter-pg on pg, same migrator, same error codes). Chosen over pglite-prisma-adapter
 * after measuring both (docs/benchmarks.md): the socket path was faster and is the production path.
 *
 * PGlite has a single backend. The socket server queues messages from all connections onto it and
 * keeps a transaction's statements together, but it interleaves protocol messages of concurrent
 * queries outside transactions, so callers must use ONE connection at a time (EMBEDDED_POOL_SIZE).
 */
export const EMBEDDED_POOL_SIZE = 1;

export interface EmbeddedDatabase {
  /** Where pg connects: the socket's directory as host, as libpq does. */
  readonly connection: ClientConfig;
  stop(): Promise<void>;
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // A fresh 0700 directory under the temp dir: short enough for a socket path (about 100 bytes)
  // and private to this user, since the socket has no password.
  const socketDir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-db-'));
  const port = 5432;
  // One for the client's pool, one for the migrator's session.
  const server = new PGLiteSocketServer({ db, path: path.join(socketDir, `.s.PGSQL.${port}`), maxConnections: EMBEDDED_POOL_SIZE + 2 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    connection: { host: socketDir, port, user: 'postgres', database: 'postgres' },
    async stop() {
      await server.stop();
      await db.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
