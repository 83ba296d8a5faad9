import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { GradingProcessor } from '../src/grading/grading.processor';
import { Reconciler } from '../src/grading/reconciler';
import { PrismaService } from '../src/database/prisma.service';
import { createScratchDatabase, startTestApp, TEST_REDIS_URL, TestApp } from './support/test-app';

const exercises = path.join(__dirname, '..', 'exercises');
const solution = readFileSync(path.join(exercises, 'fetch-all', 'solution.ts'), 'utf8');
const sequential = readFileSync(path.join(exercises, 'fetch-all', 'bad', 'sequential-awaits.ts'), 'utf8');

/**
 * The HTTP API end to end: the real server (supertest drives it), a freshly migrated Postgres database,
 * BullMQ on the real Redis, and the grading worker with its sandbox processes in the same process.
 */
describe('Lockstep API on Postgres and Redis', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let lockstep: TestApp;
  let student: { id: string; token: string };
  let otherStudent: { id: string; token: string };
  let instructor: { id: string; token: string };

  beforeAll(async () => {
    database = await createScratchDatabase();
    lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_SANDBOX_PROCESSES: '2',
      LOCKSTEP_MAX_QUEUED_PER_STUDENT: '50',
    });
    student = await lockstep.createUser('student');
    otherStudent = await lockstep.createUser('student');
    instructor = await lockstep.createUser('instructor');
  });

  afterAll(async () => {
    await lockstep?.close();
    await database?.drop();
  });

  const http = () => request(lockstep.app.getHttpServer());
  const submit = (token: string, body: object, query = '') =>
    http().post(`/api/submissions${query}`).set('Authorization', `Bearer ${token}`).send(body);

  it('lists the exercises and shows one with statement, starter, contract and limits', async () => {
    const list = await http()
      .get('/api/exercises')
      .set('Authorization', `Bearer ${student.token}`)
      .expect(200);
    expect(list.body.map((e: { slug: string }) => e.slug)).toEqual(
      expect.arrayContaining(['fetch-all', 'bounded-crawler']),
    );
    const one = await http()
      .get('/api/exercises/fetch-all')
      .set('Authorization', `Bearer ${student.token}`)
      .expect(200);
    expect(one.body).toMatchObject({ slug: 'fetch-all', kind: 'async', exports: ['fetchAll'] });
    expect(one.body.statement.length).toBeGreaterThan(100);
    expect(one.body.contract).toContain('fetchAll');
    expect(one.body.limits).toMatchObject({ maxCodeBytes: 65536 });
    await http().get('/api/exercises/no-such').set('Authorization', `Bearer ${student.token}`).expect(404);
  });

  it('refuses requests without a valid bearer token, saying how to send one', async () => {
    const missing = await http().get('/api/exercises').expect(401);
    expect(missing.body.message).toMatch(/Authorization: Bearer/);
    await http().get('/api/exercises').set('Authorization', 'Bearer lst_not-a-real-token').expect(401);
  });

  it('accepts a submission with 202 once it is committed, then grades it', async () => {
    const accepted = await submit(student.token, { exercise: 'fetch-all', code: solution }).expect(202);
    expect(accepted.body).toMatchObject({ status: 'queued', exercise: 'fetch-all' });
    expect(accepted.headers.location).toBe(`/api/submissions/${accepted.body.id}`);
    const graded = await waitForGrade(accepted.body.id, student.token);
    expect(graded.status).toBe('graded');
    expect(graded.report).toMatchObject({ exercise: 'fetch-all', status: 'passed' });
    expect(graded.report.score).toBe(graded.report.maxScore);
    expect(graded.code).toBe(solution);
  });

  it('holds the answer with ?wait until the report is there', async () => {
    const response = await submit(
      student.token,
      { exercise: 'fetch-all', code: sequential },
      '?wait=20',
    ).expect(200);
    expect(response.body.status).toBe('graded');
    expect(response.body.report.status).toBe('failed');
    const concurrency = response.body.report.checks.find((c: { id: string }) => c.id === 'concurrency');
    expect(concurrency).toMatchObject({ status: 'failed' });
    expect(concurrency.message).toMatch(/ms/);
  });

  it('shows students only pass/fail of hidden checks, and instructors everything', async () => {
    const { body } = await submit(
      student.token,
      { exercise: 'fetch-all', code: sequential },
      '?wait=20',
    ).expect(200);
    const hiddenFor = async (token: string) =>
      (
        await http().get(`/api/submissions/${body.id}`).set('Authorization', `Bearer ${token}`).expect(200)
      ).body.report.checks.find((c: { hidden: boolean }) => c.hidden);
    const asStudent = await hiddenFor(student.token);
    expect(asStudent).toMatchObject({
      status: 'failed',
      message: 'hidden check failed (wrong result)',
      failureKind: 'wrong_result',
    });
    const asInstructor = await hiddenFor(instructor.token);
    expect(asInstructor.status).toBe('failed');
    expect(asInstructor.message).not.toMatch(/^hidden check failed/);
    expect(asInstructor.message.length).toBeGreaterThan(10);
  });

  it('reports a compile error with line and column', async () => {
    const code = 'export async function fetchAll(urls: string[]) {\n  return urls.map((u) => u +;\n}\n';
    const { body } = await submit(student.token, { exercise: 'fetch-all', code }, '?wait=20').expect(200);
    expect(body.report.status).toBe('compile_error');
    expect(body.report.error.location).toEqual({ line: 2, column: expect.any(Number) });
  });

  it('gives the same submission for the same Idempotency-Key and grades it once', async () => {
    const key = `key-${Date.now()}`;
    const first = await submit(student.token, { exercise: 'fetch-all', code: solution })
      .set('Idempotency-Key', key)
      .expect(202);
    const again = await submit(student.token, { exercise: 'fetch-all', code: solution }).set(
      'Idempotency-Key',
      key,
    );
    expect([200, 202]).toContain(again.status);
    expect(again.body.id).toBe(first.body.id);
    const graded = await waitForGrade(first.body.id, student.token);
    expect(graded.attempts).toBe(1);
    const conflict = await submit(student.token, { exercise: 'fetch-all', code: sequential })
      .set('Idempotency-Key', key)
      .expect(422);
    expect(conflict.body.message).toMatch(/different exercise or code/);
  });

  it('lets students see only their own submissions; instructors see their course', async () => {
    const { body } = await submit(student.token, {
      exercise: 'bounded-crawler',
      code: 'export const x = 1;',
    }).expect(202);
    await http()
      .get(`/api/submissions/${body.id}`)
      .set('Authorization', `Bearer ${otherStudent.token}`)
      .expect(404);
    await http()
      .get(`/api/submissions/${body.id}`)
      .set('Authorization', `Bearer ${instructor.token}`)
      .expect(200);
    const mine = await http()
      .get('/api/submissions?exercise=bounded-crawler')
      .set('Authorization', `Bearer ${student.token}`)
      .expect(200);
    expect(mine.body.items.map((s: { id: string }) => s.id)).toContain(body.id);
    const theirs = await http()
      .get('/api/submissions')
      .set('Authorization', `Bearer ${otherStudent.token}`)
      .expect(200);
    expect(theirs.body.items).toEqual([]);
    const all = await http()
      .get(`/api/submissions?user=${student.id}&limit=2`)
      .set('Authorization', `Bearer ${instructor.token}`)
      .expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await http()
      .get(`/api/submissions?user=${student.id}&limit=2&cursor=${encodeURIComponent(all.body.nextCursor)}`)
      .set('Authorization', `Bearer ${instructor.token}`)
      .expect(200);
    expect(next.body.items[0].id).not.toBe(all.body.items[1].id);
    await http()
      .get('/api/submissions?status=done')
      .set('Authorization', `Bearer ${student.token}`)
      .expect(400);
    await http()
      .get('/api/submissions?cursor=garbage')
      .set('Authorization', `Bearer ${student.token}`)
      .expect(400);
  });

  it('answers bad input with a 4xx that says what to fix, and saves nothing', async () => {
    const prisma = lockstep.app.get(PrismaService, { strict: false });
    const before = await prisma.submission.count();
    const missing = await submit(student.token, { exercise: 'fetch-all' }).expect(400);
    expect(missing.body.message).toMatch(/"code"/);
    const both = await submit(student.token, {}).expect(400);
    expect(both.body.message).toMatch(/"exercise".*"code"/);
    const unknown = await submit(student.token, { exercise: 'no-such', code: 'x' }).expect(404);
    expect(unknown.body.message).toMatch(/no-such/);
    const big = await submit(student.token, { exercise: 'fetch-all', code: 'x'.repeat(65537) }).expect(413);
    expect(big.body.message).toMatch(/64 KiB/);
    const text = await http()
      .post('/api/submissions')
      .set('Authorization', `Bearer ${student.token}`)
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);
    expect(text.body.message).toMatch(/application\/json/);
    const broken = await http()
      .post('/api/submissions')
      .set('Authorization', `Bearer ${student.token}`)
      .set('Content-Type', 'application/json')
      .send('{"exercise":')
      .expect(400);
    expect(broken.body.message).toMatch(/not valid JSON/);
    await submit(student.token, { exercise: 'fetch-all', code: 'x' }, '?wait=99').expect(400);
    const outsider = await lockstep.createUser('student', { enrol: false });
    await submit(outsider.token, { exercise: 'fetch-all', code: 'x' }).expect(403);
    expect(await prisma.submission.count()).toBe(before);
  });

  it('grades a submission whose worker died mid-grading, and writes one report', async () => {
    const prisma = lockstep.app.get(PrismaService, { strict: false });
    const { body } = await submit(
      student.token,
      { exercise: 'fetch-all', code: solution },
      '?wait=20',
    ).expect(200);
    // Pretend a worker claimed a new submission and died: running, with a lease that has run out.
    const orphan = await prisma.submission.create({
      data: {
        userId: student.id,
        exerciseVersionId: (await prisma.submission.findUniqueOrThrow({ where: { id: body.id } }))
          .exerciseVersionId,
        code: solution,
        status: 'running',
        attempts: 1,
        leaseExpiresAt: new Date(Date.now() - 1000),
      },
    });
    await lockstep.app.get(Reconciler, { strict: false }).reconcile();
    const graded = await waitForGrade(orphan.id, student.token);
    expect(graded).toMatchObject({ status: 'graded', attempts: 2 });
    const processor = lockstep.app.get(GradingProcessor, { strict: false });
    const gradedAt = graded.gradedAt;
    await Promise.all([processor.grade(orphan.id), processor.grade(orphan.id)]);
    const after = (
      await http()
        .get(`/api/submissions/${orphan.id}`)
        .set('Authorization', `Bearer ${student.token}`)
        .expect(200)
    ).body;
    expect(after.gradedAt).toBe(gradedAt);
    expect(after.attempts).toBe(2);
  });

  it('reports database and queue health', async () => {
    const health = await http().get('/api/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', database: { status: 'up' }, queue: { status: 'up' } });
  });

  it('serves the OpenAPI document', async () => {
    const doc = await http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/submissions',
        '/api/submissions/{id}',
        '/api/exercises/{slug}',
        '/api/health',
      ]),
    );
  });

  async function waitForGrade(id: string, token: string, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await http()
        .get(`/api/submissions/${id}`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      if (body.status === 'graded' || body.status === 'error') return body;
      if (Date.now() > deadline)
        throw new Error(`submission ${id} still ${body.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});

/** An API process alone (no worker), so that nothing is graded and the limits can be reached. */
describe('Lockstep API refusing work it cannot take', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let lockstep: TestApp;

  beforeAll(async () => {
    database = await createScratchDatabase();
    lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_ROLE: 'api',
      LOCKSTEP_MAX_QUEUED_PER_STUDENT: '2',
      LOCKSTEP_MAX_QUEUE_DEPTH: '1000000',
    });
  });
  afterAll(async () => {
    await lockstep?.close();
    await database?.drop();
  });

  it('answers 429 with Retry-After when a student has too many submissions waiting', async () => {
    const student = await lockstep.createUser('student');
    const post = () =>
      request(lockstep.app.getHttpServer())
        .post('/api/submissions')
        .set('Authorization', `Bearer ${student.token}`)
        .send({ exercise: 'fetch-all', code: solution });
    await post().expect(202);
    await post().expect(202);
    const refused = await post().expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/2 submissions waiting/);
  });
});

describe('Lockstep API with a full queue or a queue that is down', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  afterAll(async () => database?.drop());
  beforeAll(async () => (database = await createScratchDatabase()));

  it('answers 503 with Retry-After when the grading queue is full', async () => {
    const lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_ROLE: 'api',
      LOCKSTEP_MAX_QUEUE_DEPTH: '1',
    });
    try {
      const a = await lockstep.createUser('student');
      const b = await lockstep.createUser('student');
      const post = (token: string) =>
        request(lockstep.app.getHttpServer())
          .post('/api/submissions')
          .set('Authorization', `Bearer ${token}`)
          .send({ exercise: 'fetch-all', code: solution });
      // The depth is what Postgres holds queued (an API alone grades nothing): the first fills the limit of 1.
      await post(a.token).expect(202);
      const refused = await post(b.token).expect(503);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.body.message).toMatch(/queue is full/);
    } finally {
      await lockstep.close();
    }
  });

  it('reports itself unhealthy with a non-200 when the queue does not answer', async () => {
    const lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:1',
      LOCKSTEP_ROLE: 'api',
    });
    try {
      const health = await request(lockstep.app.getHttpServer()).get('/api/health').expect(503);
      expect(health.body).toMatchObject({
        status: 'down',
        database: { status: 'up' },
        queue: { status: 'down' },
      });
    } finally {
      await lockstep.close();
    }
  });
});
