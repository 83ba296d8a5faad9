/**
 * Embedded database: pglite-prisma-adapter (in-process) against PGlite served over a Unix socket to
 * @prisma/adapter-pg + pg (the production path), with real Postgres as a reference.
 * Each run: migrate a fresh database, N sequential inserts, N indexed reads, then concurrent
 * inserts and interactive transactions to check that PGlite's single connection is serialized.
 * Usage: node bench/embedded-db.js [N=1000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../src/generated/prisma/client';
import { migrate, readMigrations } from '../src/database/migrator';
import { startEmbeddedDatabase } from '../src/database/embedded-database';

const N = Number(process.argv[2] ?? 1000);
// Run from the repository root (the bundle's own __dirname is bench/results).
const MIGRATIONS = path.join(process.cwd(), 'prisma', 'migrations');

interface Setup {
  prisma: PrismaClient;
  close(): Promise<void>;
}

async function pgliteAdapter(dir: string): Promise<Setup> {
  const db = await PGlite.create(dir);
  await migrate(
    {
      query: async (sql, params) => (await db.query<never>(sql, params)).rows,
      exec: async (sql) => void (await db.exec(sql)),
    },
    await readMigrations(MIGRATIONS),
  );
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

async function pgliteSocket(dir: string, poolSize: number): Promise<Setup> {
  const db = await PGlite.create(path.join(dir, 'data'));
  const server = new PGLiteSocketServer({
    db,
    path: path.join(dir, '.s.PGSQL.5432'),
    maxConnections: poolSize + 1,
  });
  await server.start();
  const connection = { host: dir, port: 5432, user: 'postgres', database: 'postgres' };
  const client = new Client(connection);
  await client.connect();
  await migrate(
    {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (sql) => void (await client.query(sql)),
    },
    await readMigrations(MIGRATIONS),
  );
  await client.end();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ ...connection, max: poolSize }) });
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await server.stop();
      await db.close();
    },
  };
}

/** What ships (src/database/embedded-database.ts): the socket server in a worker thread, pool 1. */
async function pgliteSocketInWorker(dir: string): Promise<Setup> {
  const embedded = await startEmbeddedDatabase(path.join(dir, 'data'));
  const client = new Client(embedded.connection);
  await client.connect();
  await migrate(
    {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (sql) => void (await client.query(sql)),
    },
    await readMigrations(MIGRATIONS),
  );
  await client.end();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ ...embedded.connection, max: 1 }) });
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await embedded.stop();
    },
  };
}

async function postgres(): Promise<Setup> {
  const name = `lockstep_bench_${process.pid}`;
  const admin = new Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = `postgresql://postgres@127.0.0.1:5432/${name}`;
  const client = new Client({ connectionString: url });
  await client.connect();
  await migrate(
    {
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (sql) => void (await client.query(sql)),
    },
    await readMigrations(MIGRATIONS),
  );
  await client.end();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 4 }) });
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await admin.query(`DROP DATABASE ${name}`);
      await admin.end();
    },
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function run(label: string, setup: Setup) {
  const { prisma } = setup;
  const course = await prisma.course.create({ data: { slug: 'bench', title: 'Bench' } });
  const insertMs = await timed(async () => {
    for (let i = 0; i < N; i++) await prisma.user.create({ data: { name: `u${i}`, email: `u${i}@x.test` } });
  });
  const readMs = await timed(async () => {
    for (let i = 0; i < N; i++) {
      const user = await prisma.user.findUnique({ where: { email: `u${(i * 7) % N}@x.test` } });
      if (!user) throw new Error('missing row');
    }
  });
  const concurrentMs = await timed(() =>
    Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        prisma.user.create({ data: { name: `c${i}`, email: `c${i}@x.test` } }),
      ),
    ),
  );
  // Interactive transactions interleaved: each must see only its own writes and commit whole.
  let transactionErrors = 0;
  const transactionMs = await timed(() =>
    Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        prisma
          .$transaction(async (tx) => {
            const user = await tx.user.create({ data: { name: `t${i}`, email: `t${i}@x.test` } });
            await tx.enrolment.create({ data: { userId: user.id, courseId: course.id, role: 'student' } });
          })
          .catch(() => void transactionErrors++),
      ),
    ),
  );
  const enrolled = await prisma.enrolment.count();
  const users = await prisma.user.count();
  const ok = users === N + 250 && enrolled === 50 - transactionErrors;
  return { label, insertMs, readMs, concurrentMs, transactionMs, transactionErrors, ok };
}

async function main() {
  const rows = [];
  const variants: [string, (dir: string) => Promise<Setup>][] = [
    ['pglite-prisma-adapter (in-process)', pgliteAdapter],
    ['pglite-socket + adapter-pg, pool 1', (dir) => pgliteSocket(dir, 1)],
    ['pglite-socket + adapter-pg, pool 4', (dir) => pgliteSocket(dir, 4)],
    ['pglite-socket in a worker thread + adapter-pg, pool 1 (shipped)', pgliteSocketInWorker],
    ['Postgres 15 + adapter-pg, pool 4 (reference)', () => postgres()],
  ];
  for (const [label, make] of variants) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-bench-'));
    try {
      const setup = await make(dir);
      try {
        rows.push(await run(label, setup));
      } finally {
        await setup.close();
      }
    } catch (error) {
      rows.push({ label, failed: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const ms = (value: number) => `${Math.round(value)} ms`;
  const perOp = (value: number) => `${(value / N).toFixed(2)} ms`;
  console.log(
    `| variant | ${N} inserts | per insert | ${N} indexed reads | per read | 200 concurrent inserts | 50 concurrent transactions | consistent |`,
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    if ('failed' in row) console.log(`| ${row.label} | failed: ${row.failed} | | | | | | no |`);
    else
      console.log(
        `| ${row.label} | ${ms(row.insertMs)} | ${perOp(row.insertMs)} | ${ms(row.readMs)} | ${perOp(row.readMs)} | ${ms(row.concurrentMs)} | ${ms(row.transactionMs)} (${row.transactionErrors} failed) | ${row.ok ? 'yes' : 'NO'} |`,
      );
  }
}

void main().then(() => process.exit(0));
