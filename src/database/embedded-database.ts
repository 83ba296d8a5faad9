import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientConfig } from 'pg';
import { lockDataDir } from './data-dir-lock';

/**
 * The embedded database: PGlite (Postgres compiled to WebAssembly) keeping its files in `dataDir`,
 * served on a private Unix socket so the app reaches it exactly as it reaches Postgres in production
 * (@prisma/adapter-pg on pg, same migrator, same error codes). Chosen over pglite-prisma-adapter
 * after measuring both (docs/benchmarks.md): the socket path was faster and is the production path.
 *
 * PGlite runs in a worker thread: its queries are synchronous WebAssembly, which would otherwise
 * stall the API's event loop (and a worker is plain Node, so it also runs under Jest's sandbox).
 *
 * PGlite has a single backend. The socket server queues messages from all connections onto it and
 * keeps a transaction's statements together, but it interleaves the protocol messages of concurrent
 * queries outside transactions, so clients must use ONE connection at a time (EMBEDDED_POOL_SIZE).
 */
export const EMBEDDED_POOL_SIZE = 1;

export interface EmbeddedDatabase {
  /** Where pg connects: the socket's directory as host, as libpq does. */
  readonly connection: ClientConfig;
  stop(): Promise<void>;
}

// Plain CommonJS run by the worker thread; module paths are resolved by the parent.
const SERVE_PGLITE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.pgliteSocket);
(async () => {
  const db = await PGlite.create(workerData.dataDir);
  const server = new PGLiteSocketServer({ db, path: workerData.socketPath, maxConnections: workerData.maxConnections });
  await server.start();
  parentPort.on('message', async (message) => {
    if (message !== 'stop') return;
    await server.stop();
    await db.close();
    parentPort.postMessage({ stopped: true });
  });
  parentPort.postMessage({ ready: true });
})().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
`;

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  await removeSocketDirOfDeadOwner(dataDir);
  // A fresh 0700 directory under the temp dir: short enough for a socket path (about 100 bytes)
  // and private to this user, since the socket asks no password.
  const socketDir = await mkdtemp(path.join(os.tmpdir(), SOCKET_DIR_PREFIX));
  await writeFile(path.join(dataDir, SOCKET_DIR_NOTE), socketDir);
  const port = 5432;
  const worker = new Worker(SERVE_PGLITE, {
    eval: true,
    workerData: {
      pglite: require.resolve('@electric-sql/pglite'),
      pgliteSocket: require.resolve('@electric-sql/pglite-socket'),
      dataDir,
      socketPath: path.join(socketDir, `.s.PGSQL.${port}`),
      // The client's pool, the migrator's session, and one spare for tools.
      maxConnections: EMBEDDED_POOL_SIZE + 2,
    },
  });
  try {
    await nextMessage(worker, 'ready');
  } catch (error) {
    await worker.terminate();
    await removeSocketDir(dataDir, socketDir);
    unlock();
    throw new Error(
      `Cannot start the embedded database in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    const stopped = nextMessage(worker, 'stopped');
    worker.postMessage('stop');
    await stopped;
    await worker.terminate();
    await removeSocketDir(dataDir, socketDir);
    unlock();
  };
  return {
    connection: { host: socketDir, port, user: 'postgres', database: 'postgres' },
    // Idempotent: both a failed start-up path and module destroy may call it.
    stop: () => (stopping ??= stop()),
  };
}

const SOCKET_DIR_PREFIX = 'lockstep-db-';
/** In the data folder: where this owner's socket lives, so the next owner can clean up after a SIGKILL. */
const SOCKET_DIR_NOTE = 'socket-dir';

async function removeSocketDir(dataDir: string, socketDir: string): Promise<void> {
  await rm(socketDir, { recursive: true, force: true });
  await rm(path.join(dataDir, SOCKET_DIR_NOTE), { force: true });
}

/**
 * A process killed with SIGKILL cannot remove its socket folder. Whoever holds the data folder's
 * lock next knows that process is gone, and removes the folder it noted (only ever one of ours).
 */
async function removeSocketDirOfDeadOwner(dataDir: string): Promise<void> {
  const noted = await readFile(path.join(dataDir, SOCKET_DIR_NOTE), 'utf8').catch(() => '');
  const dir = path.resolve(noted.trim());
  if (
    noted.trim() &&
    path.dirname(dir) === path.resolve(os.tmpdir()) &&
    path.basename(dir).startsWith(SOCKET_DIR_PREFIX)
  )
    await removeSocketDir(dataDir, dir);
}

function nextMessage(worker: Worker, key: 'ready' | 'stopped'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message[key]) done(resolve);
      else if (typeof message.error === 'string') done(() => reject(new Error(message.error as string)));
    };
    const onExit = (code: number) =>
      done(() => reject(new Error(`the database thread exited with code ${code}`)));
    const onError = (error: Error) => done(() => reject(error));
    const done = (settle: () => void) => {
      worker.off('message', onMessage).off('exit', onExit).off('error', onError);
      settle();
    };
    worker.on('message', onMessage).on('exit', onExit).on('error', onError);
  });
}
