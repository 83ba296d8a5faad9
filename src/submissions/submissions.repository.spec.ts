import { CoursesRepository } from '../courses/courses.repository';
import { createPostgresTestDatabase, TestDatabase } from '../database/test-database';
import { exerciseDefinition } from '../database/test-fixtures';
import { ExercisesRepository } from '../exercises/exercises.repository';
import type { GradeReport } from '../grading/grade-report';
import { UsersRepository } from '../users/users.repository';
import {
  CreateOutcome,
  InvalidCursorError,
  NewSubmission,
  SubmissionRecord,
  SubmissionsRepository,
} from './submissions.repository';

const report: GradeReport = {
  exercise: 'fetch-all',
  status: 'passed',
  score: 5,
  maxScore: 5,
  checks: [
    { id: 'order', name: 'keeps order', status: 'passed', score: 5, maxScore: 5, message: '', hidden: false },
  ],
  seed: 'abc',
  replay: 'npx lockstep grade --exercise fetch-all solution.ts --seed abc',
  durationMs: 12,
  graderVersion: 'g1',
};

describe('SubmissionsRepository on Postgres', () => {
  let database: TestDatabase;
  let submissions: SubmissionsRepository;
  let student: { id: string };
  let other: { id: string };
  let instructor: { id: string };
  let outsider: { id: string };
  let versionId: string;
  let otherCourseVersionId: string;

  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    const users = new UsersRepository(database.prisma);
    const courses = new CoursesRepository(database.prisma);
    const exercises = new ExercisesRepository(database.prisma);
    submissions = new SubmissionsRepository(database.prisma);
    student = await users.create({ name: 'Ada', email: 'ada@x.test', role: 'student' });
    other = await users.create({ name: 'Bob', email: 'bob@x.test', role: 'student' });
    instructor = await users.create({ name: 'Ines', email: 'ines@x.test', role: 'instructor' });
    outsider = await users.create({ name: 'Otto', email: 'otto@x.test', role: 'instructor' });
    await exercises.sync([exerciseDefinition('fetch-all')], 'concurrency');
    await exercises.sync([exerciseDefinition('mutex')], 'other-course');
    const course = await courses.ensureCourse('concurrency');
    await courses.enrol(instructor.id, course.id, 'instructor');
    versionId = (await exercises.findBySlug('fetch-all'))!.versionId;
    otherCourseVersionId = (await exercises.findBySlug('mutex'))!.versionId;
  });
  afterAll(() => database.drop());

  function createdSubmission(outcome: CreateOutcome): SubmissionRecord {
    if (outcome.kind !== 'created') throw new Error(`expected a new submission, got ${outcome.kind}`);
    return outcome.submission;
  }
  const createQueued = async (input: NewSubmission) => createdSubmission(await submissions.create(input));

  it('reads what a new submission needs in one go: current version, enrolment, queue depth up to a cap', async () => {
    for (let i = 0; i < 3; i++)
      await submissions.create({ userId: other.id, exerciseVersionId: versionId, code: `queued ${i}` });
    const queued = await database.prisma.submission.count({ where: { status: 'queued' } });
    expect(await submissions.findTarget(instructor.id, 'fetch-all', 1000)).toEqual({
      exerciseVersionId: versionId,
      courseId: expect.any(String),
      enrolled: true,
      queuedSubmissions: queued,
    });
    const forStudent = await submissions.findTarget(student.id, 'fetch-all', 2);
    expect(forStudent).toMatchObject({ enrolled: false, queuedSubmissions: 2 });
    expect(await submissions.findTarget(student.id, 'no-such-exercise', 10)).toBeNull();
  });

  it('creates a queued submission with everything the API and the worker need', async () => {
    const outcome = await submissions.create({
      userId: student.id,
      exerciseVersionId: versionId,
      code: 'let a = 1;',
    });
    expect(outcome.kind).toBe('created');
    const submission = createdSubmission(outcome);
    expect(submission).toMatchObject({
      userId: student.id,
      exerciseSlug: 'fetch-all',
      exerciseVersion: 1,
      exerciseVersionId: versionId,
      code: 'let a = 1;',
      status: 'queued',
      report: null,
      attempts: 0,
      idempotencyKey: null,
      startedAt: null,
    });
    expect(await submissions.findById(submission.id)).toEqual(submission);
    expect(await submissions.findById('not-a-uuid')).toBeNull();
  });

  it('returns the first submission, not a second one, when the same idempotency key is sent again, even concurrently', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () =>
        submissions.create({
          userId: student.id,
          exerciseVersionId: versionId,
          code: 'same',
          idempotencyKey: 'key-1',
        }),
      ),
    );
    expect(attempts.filter((attempt) => attempt.kind === 'created')).toHaveLength(1);
    expect(attempts.filter((attempt) => attempt.kind === 'existing')).toHaveLength(4);
    expect(new Set(attempts.map((attempt) => 'submission' in attempt && attempt.submission.id)).size).toBe(1);
    const again = await submissions.create({
      userId: student.id,
      exerciseVersionId: versionId,
      code: 'different',
      idempotencyKey: 'key-1',
    });
    expect(again).toMatchObject({ kind: 'existing', submission: { code: 'same' } });
    expect(
      (
        await submissions.create({
          userId: other.id,
          exerciseVersionId: versionId,
          code: 'x',
          idempotencyKey: 'key-1',
        })
      ).kind,
    ).toBe('created');
  });

  it('counts and inserts as one decision: of 20 concurrent submissions under a limit of 5, exactly 5 are saved', async () => {
    const author = await new UsersRepository(database.prisma).create({
      name: 'Cy',
      email: 'cy@x.test',
      role: 'student',
    });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        submissions.create({ userId: author.id, exerciseVersionId: versionId, code: `c${i}`, maxActive: 5 }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.kind === 'created')).toHaveLength(5);
    const refused = outcomes.filter((outcome) => outcome.kind === 'over-limit');
    expect(refused).toHaveLength(15);
    expect(refused.every((outcome) => outcome.kind === 'over-limit' && outcome.active === 5)).toBe(true);
    expect(await submissions.countActive(author.id)).toBe(5);
    // A repeat of an Idempotency-Key is the first submission, not a sixth one, even at the limit.
    const keyed = await database.prisma.submission.findFirstOrThrow({ where: { userId: author.id } });
    await database.prisma.submission.update({ where: { id: keyed.id }, data: { idempotencyKey: 'k' } });
    expect(
      await submissions.create({
        userId: author.id,
        exerciseVersionId: versionId,
        code: keyed.code,
        idempotencyKey: 'k',
        maxActive: 5,
      }),
    ).toMatchObject({ kind: 'existing', submission: { id: keyed.id } });
    // A graded one frees its place.
    expect(await submissions.claim(keyed.id, 60_000)).not.toBeNull();
    await submissions.complete(keyed.id, { status: 'graded', report, graderVersion: 'g1', durationMs: 1 });
    expect(
      (await submissions.create({ userId: author.id, exerciseVersionId: versionId, code: 'n', maxActive: 5 }))
        .kind,
    ).toBe('created');
  });

  it('hands a running submission back without counting the attempt, and renews only running leases', async () => {
    const submission = await createQueued({ userId: other.id, exerciseVersionId: versionId, code: 'hand' });
    expect(await submissions.claim(submission.id, 1000)).toMatchObject({ attempts: 1 });
    const leaseOf = async () =>
      (await database.prisma.submission.findUniqueOrThrow({ where: { id: submission.id } })).leaseExpiresAt!;
    const before = await leaseOf();
    expect(await submissions.renewLeases([submission.id, 'not-a-uuid'], 60_000)).toBe(1);
    expect((await leaseOf()).getTime()).toBeGreaterThan(before.getTime() + 50_000);
    expect(await submissions.handBack(submission.id)).toBe(true);
    expect(await submissions.findById(submission.id)).toMatchObject({
      status: 'queued',
      attempts: 0,
      startedAt: null,
    });
    expect(await submissions.handBack(submission.id)).toBe(false);
    expect(await submissions.renewLeases([submission.id], 60_000)).toBe(0);
    expect(await submissions.renewLeases([], 60_000)).toBe(0);
  });

  it('lets exactly one of two workers claim a submission, and nobody claim a graded one', async () => {
    const submission = await createQueued({
      userId: student.id,
      exerciseVersionId: versionId,
      code: 'claim me',
    });
    const [first, second] = await Promise.all([
      submissions.claim(submission.id, 60_000),
      submissions.claim(submission.id, 60_000),
    ]);
    const claimed = [first, second].filter((result) => result !== null);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({ status: 'running', attempts: 1 });
    expect(claimed[0]!.startedAt).toBeInstanceOf(Date);
    expect(
      await submissions.complete(submission.id, {
        status: 'graded',
        report,
        graderVersion: 'g1',
        durationMs: 12.4,
      }),
    ).toBe(true);
    expect(
      await submissions.complete(submission.id, {
        status: 'error',
        report: null,
        graderVersion: 'g1',
        durationMs: 1,
        errorMessage: 'late',
      }),
    ).toBe(false);
    const graded = await submissions.findById(submission.id);
    expect(graded).toMatchObject({
      status: 'graded',
      report,
      graderVersion: 'g1',
      durationMs: 12,
      errorMessage: null,
    });
    expect(graded!.gradedAt).toBeInstanceOf(Date);
    expect(await submissions.claim(submission.id, 60_000)).toBeNull();
    // By id is one SQL statement, lists go through Prisma's nested select: both must read the same record.
    const listed = await submissions.list({ viewer: { id: student.id, role: 'student' }, limit: 100 });
    expect(listed.items.find((item) => item.id === submission.id)).toEqual(graded);
  });

  it('lets another worker take over a running submission once its lease expired, counting the attempt', async () => {
    const submission = await createQueued({
      userId: other.id,
      exerciseVersionId: versionId,
      code: 'lease',
    });
    expect(await submissions.claim(submission.id, 1)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stale = await submissions.findStale({ queuedBefore: new Date(0), now: new Date(), limit: 100 });
    expect(stale).toContain(submission.id);
    expect(await submissions.claim(submission.id, 60_000)).toMatchObject({ status: 'running', attempts: 2 });
    expect(await submissions.claim(submission.id, 60_000)).toBeNull();
    expect(await submissions.requeue(submission.id)).toBe(true);
    expect(await submissions.findById(submission.id)).toMatchObject({ status: 'queued', attempts: 2 });
    expect(await submissions.requeue(submission.id)).toBe(false);
  });

  it('finds submissions queued for too long for the reconciler, and counts active ones', async () => {
    const submission = await createQueued({
      userId: other.id,
      exerciseVersionId: versionId,
      code: 'old',
    });
    const later = new Date(Date.now() + 60_000);
    expect(await submissions.findStale({ queuedBefore: later, now: new Date(), limit: 100 })).toContain(
      submission.id,
    );
    expect(
      await submissions.findStale({ queuedBefore: new Date(0), now: new Date(0), limit: 100 }),
    ).not.toContain(submission.id);
    const active = await database.prisma.submission.count({
      where: { userId: other.id, status: { in: ['queued', 'running'] } },
    });
    expect(await submissions.countActive(other.id)).toBe(active);
  });

  it('lists newest first in pages; a student sees their own, an instructor their courses, an admin all', async () => {
    await submissions.create({
      userId: other.id,
      exerciseVersionId: otherCourseVersionId,
      code: 'elsewhere',
    });
    const all = await database.prisma.submission.findMany({
      select: { id: true, userId: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });

    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await submissions.list({ viewer: { id: 'admin', role: 'admin' }, limit: 2, cursor });
      pages.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages).toEqual(all.map((row) => row.id));

    const own = await submissions.list({ viewer: { id: student.id, role: 'student' }, limit: 100 });
    expect(own.items.map((item) => item.id)).toEqual(
      all.filter((row) => row.userId === student.id).map((row) => row.id),
    );
    expect(
      (await submissions.list({ viewer: { id: student.id, role: 'student' }, userId: other.id })).items,
    ).toEqual([]);

    const taught = await submissions.list({ viewer: { id: instructor.id, role: 'instructor' }, limit: 100 });
    expect(taught.items.every((item) => item.exerciseSlug === 'fetch-all')).toBe(true);
    expect(taught.items).toHaveLength(all.length - 1);
    expect((await submissions.list({ viewer: { id: outsider.id, role: 'instructor' } })).items).toEqual([]);

    const filtered = await submissions.list({
      viewer: { id: 'admin', role: 'admin' },
      exerciseSlug: 'mutex',
      status: 'queued',
      userId: other.id,
    });
    expect(filtered.items.map((item) => item.code)).toEqual(['elsewhere']);
    expect(
      (await submissions.list({ viewer: { id: 'admin', role: 'admin' }, limit: 1000 })).items.length,
    ).toBeLessThanOrEqual(100);
  });

  it('rejects a cursor it did not produce', async () => {
    await expect(
      submissions.list({ viewer: { id: student.id, role: 'student' }, cursor: 'bogus' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
