import { CoursesRepository } from '../courses/courses.repository';
import { createPostgresTestDatabase, TestDatabase } from '../database/test-database';
import { hashApiToken } from '../auth/api-token';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

describe('UsersService on Postgres', () => {
  let database: TestDatabase;
  let service: UsersService;
  let courses: CoursesRepository;
  beforeEach(async () => {
    database = await createPostgresTestDatabase();
    courses = new CoursesRepository(database.prisma);
    service = new UsersService(new UsersRepository(database.prisma), courses);
  });
  afterEach(() => database.drop());

  it('stores only the hash and a short prefix of an issued token, and finds the user by the plain token', async () => {
    const user = await service.createUser({ name: 'Ada', email: 'Ada@X.test', role: 'student' });
    expect(user.email).toBe('ada@x.test');
    const issued = await service.issueToken(user.id);
    const row = await database.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.tokenId } });
    expect(row.tokenHash).toBe(hashApiToken(issued.token));
    expect(row.prefix).toBe(issued.token.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(issued.token);
    expect(await service.findUserByToken(issued.token)).toEqual(user);
    expect(await service.findUserByToken(`lst_${'A'.repeat(43)}`)).toBeNull();
    expect(await service.findUserByToken('garbage')).toBeNull();
  });

  it('records lastUsedAt at most once a minute, and refuses a revoked token', async () => {
    const user = await service.createUser({ name: 'Ada', email: 'ada@x.test', role: 'student' });
    const issued = await service.issueToken(user.id);
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    await service.findUserByToken(issued.token, t0);
    await service.findUserByToken(issued.token, new Date(t0.getTime() + 30_000));
    const lastUsed = async () =>
      (await database.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.tokenId } })).lastUsedAt;
    expect(await lastUsed()).toEqual(t0);
    await service.findUserByToken(issued.token, new Date(t0.getTime() + 61_000));
    expect(await lastUsed()).toEqual(new Date(t0.getTime() + 61_000));
    await service.revokeToken(issued.tokenId);
    expect(await service.findUserByToken(issued.token)).toBeNull();
  });

  it('rejects a second user with the same email, whatever its case', async () => {
    await service.createUser({ name: 'Ada', email: 'ada@x.test', role: 'student' });
    await expect(service.createUser({ name: 'Ada 2', email: 'ADA@x.test', role: 'admin' })).rejects.toThrow();
  });

  it('creates an instructor and a demo student on an empty database, once, even when two processes try', async () => {
    const [first, second] = await Promise.all([
      service.ensureBootstrapUsers('concurrency'),
      service.ensureBootstrapUsers('concurrency'),
    ]);
    const created = [first, second].filter((result) => result !== null);
    expect(created).toHaveLength(1);
    const { instructor, student } = created[0]!;
    expect(await service.findUserByToken(instructor.token)).toMatchObject({ role: 'instructor' });
    expect(await service.findUserByToken(student.token)).toMatchObject({ role: 'student' });
    const course = (await courses.findBySlug('concurrency'))!;
    expect(await courses.roleIn(instructor.user.id, course.id)).toBe('instructor');
    expect(await courses.isEnrolled(student.user.id, course.id)).toBe(true);
    expect((await courses.coursesTaughtBy(instructor.user.id)).map((c) => c.slug)).toEqual(['concurrency']);
    expect(await courses.coursesTaughtBy(student.user.id)).toEqual([]);
    expect(await service.ensureBootstrapUsers('concurrency')).toBeNull();
    expect(await service.listUsers()).toHaveLength(2);
  });
});
