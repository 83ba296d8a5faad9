import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import {
  createScratchDatabase,
  removeRedisKeys,
  startTestApp,
  TEST_REDIS_URL,
  TestApp,
} from './support/test-app';
import { TcpProxy } from './support/tcp-proxy';

const solution = readFileSync(path.join(__dirname, '..', 'exercises', 'fetch-all', 'solution.ts'), 'utf8');
// Spins until fetch-all's 10 s limit: surely still grading when the test acts.
const spin = 'export async function fetchAll(urls: string[]) { for (;;) {} }';
// No answer may take longer than this: a request that waits on an outage instead of answering hangs.
const NO_HANG_MS = 10_000;

/**
 * Postgres and Redis going away under a running server, through TCP proxies the tests cut and
 * restore (the machine's own services keep running), and a worker stopped mid-grading.
 */
describe('Lockstep when Redis or Postgres goes away, and when a worker stops', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let sql: Client;
  const prefix = `lockstep-test-${randomUUID()}`;
  beforeAll(async () => {
    database = await createScratchDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await database?.drop();
    await removeRedisKeys(TEST_REDIS_URL, prefix);
  });

  const rowsOf = async (userId: string) =>
    (
      await sql.query<{ id: string; status: string; attempts: number }>(
        'SELECT id, status, attempts FROM submissions WHERE user_id = $1 ORDER BY created_at',
        [userId],
      )
    ).rows;

  async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('saves and answers 202 at once while Redis is away, and grades it all once Redis is back', async () => {
    const redis = await TcpProxy.start(TEST_REDIS_URL);
    const lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: redis.urlFor(TEST_REDIS_URL),
      LOCKSTEP_QUEUE_PREFIX: prefix,
      LOCKSTEP_SANDBOX_PROCESSES: '1',
      LOCKSTEP_RECONCILE_INTERVAL_MS: '1000',
    });
    try {
      const student = await lockstep.createUser('student');
      await redis.cut();
      const post = (key?: string) => {
        const call = request(lockstep.app.getHttpServer())
          .post('/api/submissions?wait=2')
          .set('Authorization', `Bearer ${student.token}`)
          .timeout(NO_HANG_MS);
        return (key ? call.set('Idempotency-Key', key) : call).send({
          exercise: 'fetch-all',
          code: solution,
        });
      };
      const answers = [await post(), await post('outage-1'), await post()];
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
      // Every row in the database is one the client was told about, and nothing else was saved.
      expect((await rowsOf(student.id)).map((row) => row.id).sort()).toEqual(
        answers.map((answer) => answer.body.id).sort(),
      );
      const health = await request(lockstep.app.getHttpServer()).get('/api/health').timeout(NO_HANG_MS);
      expect(health.status).toBe(503);

      await redis.restore();
      const rows = await until(
        'grading after Redis came back',
        () => rowsOf(student.id),
        (all) => all.every((row) => row.status === 'graded'),
      );
      expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1]);
    } finally {
      await lockstep.close();
      await redis.close();
    }
  });

  it('answers 503 with Retry-After while Postgres is away, saves nothing, and serves again when it is back', async () => {
    const postgres = await TcpProxy.start(database.url);
    const lockstep = await startTestApp({
      DATABASE_URL: postgres.urlFor(database.url),
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_QUEUE_PREFIX: prefix,
      LOCKSTEP_ROLE: 'api',
    });
    try {
      const student = await lockstep.createUser('student');
      const http = () => request(lockstep.app.getHttpServer());
      await postgres.cut();
      const refused = await http()
        .post('/api/submissions')
        .set('Authorization', `Bearer ${student.token}`)
        .timeout(NO_HANG_MS)
        .send({ exercise: 'fetch-all', code: solution });
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.message).toMatch(/database is not answering.*Nothing was saved/);
      const listing = await http().get('/api/exercises').set('Authorization', `Bearer ${student.token}`);
      expect(listing.status).toBe(503);
      expect(await rowsOf(student.id)).toEqual([]);

      await postgres.restore();
      await http()
        .post('/api/submissions')
        .set('Authorization', `Bearer ${student.token}`)
        .send({ exercise: 'fetch-all', code: solution })
        .expect(202);
      expect(await rowsOf(student.id)).toHaveLength(1);
    } finally {
      await lockstep.close();
      await postgres.close();
    }
  });

  it('keeps a grading that finished while Postgres was away, and writes its report once it is back', async () => {
    const postgres = await TcpProxy.start(database.url);
    const lockstep = await startTestApp({
      DATABASE_URL: postgres.urlFor(database.url),
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_QUEUE_PREFIX: prefix,
      LOCKSTEP_SANDBOX_PROCESSES: '1',
    });
    try {
      const student = await lockstep.createUser('student');
      await request(lockstep.app.getHttpServer())
        .post('/api/submissions')
        .set('Authorization', `Bearer ${student.token}`)
        .send({ exercise: 'fetch-all', code: spin })
        .expect(202);
      await until(
        'the claim',
        () => rowsOf(student.id),
        ([row]) => row?.status === 'running',
      );
      await postgres.cut();
      // The grading runs into fetch-all's 10 s limit meanwhile, and its report cannot be written.
      await new Promise((r) => setTimeout(r, 12_000));
      expect((await rowsOf(student.id))[0].status).toBe('running');
      await postgres.restore();
      const [row] = await until(
        'the report',
        () => rowsOf(student.id),
        ([one]) => one.status !== 'running',
      );
      expect(row).toMatchObject({ status: 'graded', attempts: 1 });
    } finally {
      await lockstep.close();
      await postgres.close();
    }
  });

  it('keeps the lease of a long grading alive, and hands it back uncounted when the worker stops', async () => {
    const env = { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, LOCKSTEP_QUEUE_PREFIX: prefix };
    const stopping: TestApp = await startTestApp({
      ...env,
      LOCKSTEP_SANDBOX_PROCESSES: '1',
      LOCKSTEP_LEASE_MS: '3000',
      LOCKSTEP_SHUTDOWN_GRACE_MS: '0',
    });
    let student: { id: string; token: string };
    let id: string;
    try {
      student = await stopping.createUser('student');
      const accepted = await request(stopping.app.getHttpServer())
        .post('/api/submissions')
        .set('Authorization', `Bearer ${student.token}`)
        .send({ exercise: 'fetch-all', code: spin })
        .expect(202);
      id = accepted.body.id;
      await until(
        'the claim',
        () => rowsOf(student.id),
        ([row]) => row?.status === 'running',
      );
      // Twice the lease: only the heartbeat keeps it from running out.
      await new Promise((r) => setTimeout(r, 6000));
      const { rows } = await sql.query(
        'SELECT lease_expires_at > now() AS alive FROM submissions WHERE id = $1',
        [id],
      );
      expect(rows[0].alive).toBe(true);
    } finally {
      await stopping.close();
    }
    expect(await rowsOf(student!.id)).toEqual([{ id: id!, status: 'queued', attempts: 0 }]);

    // The next worker takes it from Redis: its reconciler would not look at it for a minute.
    const next = await startTestApp({ ...env, LOCKSTEP_RECONCILE_INTERVAL_MS: '60000' });
    try {
      const [graded] = await until(
        'the next worker',
        () => rowsOf(student!.id),
        ([row]) => row.status === 'graded',
      );
      expect(graded.attempts).toBe(1);
    } finally {
      await next.close();
    }
  });
});
