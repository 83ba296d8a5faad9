import { loadConfig } from '../config/load-config';
import { createPostgresTestDatabase, TestDatabase } from '../database/test-database';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';
import { CoursesRepository } from '../courses/courses.repository';
import { runUsersCommand } from './users.command';

describe('lockstep users', () => {
  let database: TestDatabase;
  let lines: { out: string[]; err: string[] };
  const output = { out: (line: string) => lines.out.push(line), err: (line: string) => lines.err.push(line) };
  const config = () =>
    loadConfig({ DATABASE_URL: String(database.connection.clientConfig.connectionString) });
  beforeEach(async () => {
    database = await createPostgresTestDatabase();
    lines = { out: [], err: [] };
  });
  afterEach(() => database.drop());

  it('creates a user enrolled in a course and prints a working token once', async () => {
    const code = await runUsersCommand(
      [
        'create',
        '--name',
        'Ines',
        '--email',
        'ines@x.test',
        '--role',
        'instructor',
        '--course',
        'concurrency',
      ],
      config(),
      output,
    );
    expect(code).toBe(0);
    const token = lines.out.join('\n').match(/lst_[A-Za-z0-9_-]{43}/)![0];
    const service = new UsersService(
      new UsersRepository(database.prisma),
      new CoursesRepository(database.prisma),
    );
    const user = await service.findUserByToken(token);
    expect(user).toMatchObject({ name: 'Ines', role: 'instructor' });
    const courses = new CoursesRepository(database.prisma);
    expect((await courses.coursesTaughtBy(user!.id)).map((course) => course.slug)).toEqual(['concurrency']);

    expect(await runUsersCommand(['token', '--email', 'ines@x.test'], config(), output)).toBe(0);
    expect(await database.prisma.apiToken.count()).toBe(2);
    expect(await runUsersCommand(['token', '--email', 'nobody@x.test'], config(), output)).toBe(1);
  });

  it('exits 2 with the usage on bad arguments', async () => {
    expect(
      await runUsersCommand(
        ['create', '--name', 'X', '--email', 'x@x.test', '--role', 'root'],
        config(),
        output,
      ),
    ).toBe(2);
    expect(
      await runUsersCommand(['create', '--email', 'x@x.test', '--role', 'student'], config(), output),
    ).toBe(2);
    expect(await runUsersCommand(['delete'], config(), output)).toBe(2);
    expect(await runUsersCommand(['token', '--bogus'], config(), output)).toBe(2);
    expect(lines.err[0]).toMatch(/^usage:/);
  });
});

describe('lockstep users on the embedded database', () => {
  it('migrates the database in LOCKSTEP_DATA_DIR and keeps the user for the next run', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const dataDir = await mkdtemp(require('node:path').join(require('node:os').tmpdir(), 'lockstep-cli-'));
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    try {
      const config = loadConfig({ LOCKSTEP_DATA_DIR: dataDir });
      expect(
        await runUsersCommand(
          ['create', '--name', 'Ada', '--email', 'ada@x.test', '--role', 'admin'],
          config,
          output,
        ),
      ).toBe(0);
      expect(await runUsersCommand(['token', '--email', 'ada@x.test'], config, output)).toBe(0);
      expect(lines.join('\n').match(/lst_/g)).toHaveLength(2);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
