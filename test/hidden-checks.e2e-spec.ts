import { LEAKY_FETCH_ALL } from './fixtures/leaky-fetch-all';
import request from 'supertest';
import { createScratchDatabase, startTestApp, TEST_REDIS_URL, TestApp } from './support/test-app';

/**
 * A hidden check's inputs reach staff only, end to end: the real server (supertest drives it) on a
 * freshly migrated Postgres database, BullMQ on the real Redis, and the grading worker with its
 * sandbox processes in the same process. The submission logs the hidden case's urls, and throws,
 * naming one of them, only there.
 */
describe('hidden checks over the HTTP API', () => {
  let database: Awaited<ReturnType<typeof createScratchDatabase>>;
  let lockstep: TestApp;
  let student: { id: string; token: string };
  let instructor: { id: string; token: string };
  let admin: { id: string; token: string };
  let submissionId: string;

  beforeAll(async () => {
    database = await createScratchDatabase();
    lockstep = await startTestApp({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      LOCKSTEP_SANDBOX_PROCESSES: '1',
    });
    student = await lockstep.createUser('student');
    instructor = await lockstep.createUser('instructor');
    admin = await lockstep.createUser('admin');
    const { body } = await request(lockstep.app.getHttpServer())
      .post('/api/submissions?wait=30')
      .set('Authorization', `Bearer ${student.token}`)
      .send({ exercise: 'fetch-all', code: LEAKY_FETCH_ALL })
      .expect(200);
    expect(body.status).toBe('graded');
    submissionId = body.id;
  });

  afterAll(async () => {
    await lockstep?.close();
    await database?.drop();
  });

  const read = async (token: string, path = `/api/submissions/${submissionId}`) =>
    (
      await request(lockstep.app.getHttpServer())
        .get(path)
        .set('Authorization', `Bearer ${token}`)
        .expect(200)
    ).body;

  it('shows the student that the hidden check ended grading and how, but not what it logged or threw', async () => {
    const { report } = await read(student.token);
    expect(report.status).toBe('runtime_error');
    expect(JSON.stringify(report)).not.toMatch(/hidden\.test|HIDDEN INPUT|SECRET|fetching 40 urls/);
    expect(report.error).toEqual({
      message:
        'grading ended during the hidden check large-random (runtime error); what happened in it is shown to staff only',
      hiddenCheck: 'large-random',
    });
    expect(report.console).toEqual(expect.arrayContaining(['fetching 6 urls', 'fetching 0 urls']));
    expect(report).not.toHaveProperty('hiddenConsole');
    expect(report.checks.find((check: { id: string }) => check.id === 'large-random')).toMatchObject({
      status: 'skipped',
      failureKind: 'runtime_error',
      message: 'grading ended in this hidden check (runtime error)',
    });
    // The list gives the student the same view as the single read.
    const page = await read(student.token, '/api/submissions?exercise=fetch-all');
    expect(JSON.stringify(page)).not.toMatch(/hidden\.test|SECRET/);
  });

  it.each(['instructor', 'admin'] as const)(
    'shows the %s the logged hidden input, the error and where it was thrown',
    async (role) => {
      const { report } = await read(role === 'instructor' ? instructor.token : admin.token);
      expect(report.error).toEqual({
        message: expect.stringMatching(
          /^uncaught exception in a callback: Error: SECRET https:\/\/hidden\.test\/7/,
        ),
        location: { line: 5, column: expect.any(Number) },
        hiddenCheck: 'large-random',
      });
      const hiddenLines = report.hiddenConsole.flatMap((range: { start: number; end: number }) =>
        report.console.slice(range.start, range.end),
      );
      expect(hiddenLines).toEqual([
        'fetching 40 urls',
        expect.stringMatching(/^HIDDEN INPUT: https:\/\/hidden\.test\/0 /),
      ]);
    },
  );

  it('describes the report, its hidden-check tags and what students get, in the OpenAPI document', async () => {
    const doc = (await request(lockstep.app.getHttpServer()).get('/api/docs/openapi.json').expect(200)).body;
    const { schemas } = doc.components;
    expect(schemas.SubmissionView.properties.report).toMatchObject({
      description: expect.stringMatching(
        /Students are shown of a hidden check only its status and failureKind/,
      ),
    });
    expect(Object.keys(schemas.GradeReportSchema.properties)).toEqual(
      expect.arrayContaining(['status', 'checks', 'error', 'console', 'hiddenConsole']),
    );
    expect(schemas.CheckResultSchema.properties.failureKind.enum).toEqual([
      'wrong_result',
      'runtime_error',
      'deadlock',
      'timeout',
      'memory_limit',
      'output_limit',
      'internal_error',
    ]);
    expect(Object.keys(schemas.ReportErrorSchema.properties)).toEqual(['message', 'location', 'hiddenCheck']);
  });
});
