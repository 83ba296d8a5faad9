import {
  createEmbeddedTestDatabase,
  createPostgresTestDatabase,
  TestDatabase,
} from '../src/database/test-database';
import { PrismaService } from '../src/database/prisma.service';

/**
 * schema.prisma and the hand-written migrations agree: on a freshly migrated database every model
 * round-trips through the generated client with every field set, and every unique constraint holds.
 */
async function roundTripEveryModel(prisma: PrismaService) {
  const at = (iso: string) => new Date(iso);
  const user = {
    name: 'Ada',
    email: 'ada@x.test',
    role: 'instructor' as const,
    createdAt: at('2030-01-01T10:00:00.123Z'),
  };
  const createdUser = await prisma.user.create({ data: user });
  expect(await prisma.user.findUniqueOrThrow({ where: { id: createdUser.id } })).toEqual({
    ...user,
    id: createdUser.id,
  });
  await expect(prisma.user.create({ data: { ...user } })).rejects.toMatchObject({ code: 'P2002' });

  const token = {
    userId: createdUser.id,
    tokenHash: 'a'.repeat(64),
    prefix: 'lst_abcdefgh',
    createdAt: at('2030-01-01T10:00:01.001Z'),
    lastUsedAt: at('2030-01-01T10:00:02.002Z'),
    revokedAt: at('2030-01-01T10:00:03.003Z'),
  };
  const createdToken = await prisma.apiToken.create({ data: token });
  expect(await prisma.apiToken.findUniqueOrThrow({ where: { id: createdToken.id } })).toEqual({
    ...token,
    id: createdToken.id,
  });
  await expect(prisma.apiToken.create({ data: { ...token } })).rejects.toMatchObject({ code: 'P2002' });

  const course = { slug: 'concurrency', title: 'Concurrency', createdAt: at('2030-01-01T10:00:04.004Z') };
  const createdCourse = await prisma.course.create({ data: course });
  expect(await prisma.course.findUniqueOrThrow({ where: { id: createdCourse.id } })).toEqual({
    ...course,
    id: createdCourse.id,
  });
  await expect(prisma.course.create({ data: { ...course } })).rejects.toMatchObject({ code: 'P2002' });

  const enrolment = {
    userId: createdUser.id,
    courseId: createdCourse.id,
    role: 'instructor' as const,
    createdAt: at('2030-01-01T10:00:05.005Z'),
  };
  await prisma.enrolment.create({ data: enrolment });
  expect(
    await prisma.enrolment.findUniqueOrThrow({
      where: { userId_courseId: { userId: createdUser.id, courseId: createdCourse.id } },
    }),
  ).toEqual(enrolment);
  await expect(prisma.enrolment.create({ data: { ...enrolment } })).rejects.toMatchObject({ code: 'P2002' });

  const exercise = {
    slug: 'fetch-all',
    courseId: createdCourse.id,
    createdAt: at('2030-01-01T10:00:06.006Z'),
    updatedAt: at('2030-01-01T10:00:07.007Z'),
  };
  const createdExercise = await prisma.exercise.create({ data: exercise });
  await expect(prisma.exercise.create({ data: { ...exercise } })).rejects.toMatchObject({ code: 'P2002' });

  const version = {
    exerciseId: createdExercise.id,
    version: 1,
    contentHash: 'b'.repeat(64),
    title: 'Fetch all',
    kind: 'threads' as const,
    grader: 'fetch-all',
    exports: ['fetchAll', 'Limiter'],
    statement: '# Statement',
    contract: 'export {}',
    starter: 'export {}',
    limits: { timeoutMs: 5000, memoryMb: 64, maxConsoleBytes: 4096 },
    checks: [{ id: 'c', name: 'C', points: 1, hidden: true }],
    settings: { seeds: [1, 2] },
    createdAt: at('2030-01-01T10:00:08.008Z'),
  };
  const createdVersion = await prisma.exerciseVersion.create({ data: version });
  expect(await prisma.exerciseVersion.findUniqueOrThrow({ where: { id: createdVersion.id } })).toEqual({
    ...version,
    id: createdVersion.id,
  });
  await expect(
    prisma.exerciseVersion.create({ data: { ...version, contentHash: 'c'.repeat(64) } }),
  ).rejects.toMatchObject({ code: 'P2002' });
  await expect(prisma.exerciseVersion.create({ data: { ...version, version: 2 } })).rejects.toMatchObject({
    code: 'P2002',
  });

  await prisma.exercise.update({
    where: { id: createdExercise.id },
    data: { currentVersionId: createdVersion.id },
  });
  expect(await prisma.exercise.findUniqueOrThrow({ where: { id: createdExercise.id } })).toEqual({
    ...exercise,
    id: createdExercise.id,
    currentVersionId: createdVersion.id,
  });
  const secondExercise = await prisma.exercise.create({
    data: { slug: 'mutex', courseId: createdCourse.id },
  });
  await expect(
    prisma.exercise.update({
      where: { id: secondExercise.id },
      data: { currentVersionId: createdVersion.id },
    }),
  ).rejects.toMatchObject({ code: 'P2002' });

  const submission = {
    userId: createdUser.id,
    exerciseVersionId: createdVersion.id,
    code: 'export {}',
    status: 'graded' as const,
    report: { status: 'passed', score: 1, checks: [] },
    attempts: 2,
    idempotencyKey: 'key',
    leaseExpiresAt: at('2030-01-01T10:00:09.009Z'),
    graderVersion: 'g1',
    createdAt: at('2030-01-01T10:00:10.010Z'),
    startedAt: at('2030-01-01T10:00:11.011Z'),
    gradedAt: at('2030-01-01T10:00:12.012Z'),
    durationMs: 1234,
    errorMessage: 'none',
  };
  const createdSubmission = await prisma.submission.create({ data: submission });
  expect(await prisma.submission.findUniqueOrThrow({ where: { id: createdSubmission.id } })).toEqual({
    ...submission,
    id: createdSubmission.id,
  });
  await expect(prisma.submission.create({ data: { ...submission } })).rejects.toMatchObject({
    code: 'P2002',
  });
  const withoutKey = { userId: createdUser.id, exerciseVersionId: createdVersion.id, code: '' };
  await prisma.submission.create({ data: withoutKey });
  await prisma.submission.create({ data: withoutKey }); // NULL keys never collide
  const defaults = await prisma.submission.create({ data: withoutKey });
  expect(defaults).toMatchObject({ status: 'queued', attempts: 0, report: null, idempotencyKey: null });
  expect(defaults.id).toMatch(/^[0-9a-f-]{36}$/);

  // Foreign keys: a submission keeps its user and version alive.
  await expect(prisma.user.delete({ where: { id: createdUser.id } })).rejects.toThrow();
  await expect(
    prisma.submission.create({
      data: { ...withoutKey, exerciseVersionId: '00000000-0000-4000-8000-000000000000' },
    }),
  ).rejects.toMatchObject({ code: 'P2003' });

  // Update and delete each model.
  expect(
    (
      await prisma.submission.update({
        where: { id: createdSubmission.id },
        data: { status: 'error', report: { status: 'internal_error' } },
      })
    ).status,
  ).toBe('error');
  await prisma.submission.deleteMany({});
  expect(
    (await prisma.exerciseVersion.update({ where: { id: createdVersion.id }, data: { title: 'Renamed' } }))
      .title,
  ).toBe('Renamed');
  await prisma.exerciseVersion.delete({ where: { id: createdVersion.id } });
  expect(
    (await prisma.exercise.findUniqueOrThrow({ where: { id: createdExercise.id } })).currentVersionId,
  ).toBeNull();
  await prisma.exercise.deleteMany({});
  expect(
    (
      await prisma.enrolment.update({
        where: { userId_courseId: { userId: createdUser.id, courseId: createdCourse.id } },
        data: { role: 'student' },
      })
    ).role,
  ).toBe('student');
  expect(
    (await prisma.apiToken.update({ where: { id: createdToken.id }, data: { revokedAt: null } })).revokedAt,
  ).toBeNull();
  expect((await prisma.course.update({ where: { id: createdCourse.id }, data: { title: 'T' } })).title).toBe(
    'T',
  );
  expect((await prisma.user.update({ where: { id: createdUser.id }, data: { role: 'admin' } })).role).toBe(
    'admin',
  );
  await prisma.user.delete({ where: { id: createdUser.id } }); // cascades to tokens and enrolments
  expect(await prisma.apiToken.count()).toBe(0);
  expect(await prisma.enrolment.count()).toBe(0);
  await prisma.course.delete({ where: { id: createdCourse.id } });
}

describe.each([
  ['a freshly migrated Postgres database', createPostgresTestDatabase],
  ['a fresh embedded PGlite database', createEmbeddedTestDatabase],
])('schema.prisma and the migrations agree on %s', (_label, create) => {
  let database: TestDatabase;
  beforeAll(async () => (database = await create()));
  afterAll(() => database.drop());

  it('round-trips every model with every field set, enforces each unique constraint and foreign key', async () => {
    await roundTripEveryModel(database.prisma);
  });
});
