import { Client } from 'pg';
import { runMigrations } from './database-connection';
import { migrate, MigrationError, MigrationFile, MigrationSession, readMigrations } from './migrator';
import { createEmbeddedTestDatabase, createPostgresTestDatabase, TestDatabase } from './test-database';
import { defaultMigrationsDir } from './database-connection';

async function withSession<T>(
  database: TestDatabase,
  work: (session: MigrationSession) => Promise<T>,
): Promise<T> {
  const client = new Client(database.connection.clientConfig);
  await client.connect();
  try {
    return await work({
      query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
      exec: async (script) => void (await client.query(script)),
    });
  } finally {
    await client.end();
  }
}

describe('migrator on Postgres', () => {
  let database: TestDatabase;
  beforeEach(async () => (database = await createPostgresTestDatabase({ migrate: false })));
  afterEach(() => database.drop());

  it('records each migration in _prisma_migrations with its sha256 checksum, as Prisma does', async () => {
    const files = await readMigrations(defaultMigrationsDir());
    const result = await runMigrations(database.connection);
    expect(result.applied).toEqual(files.map((file) => file.name));
    const rows = await database.prisma.$queryRawUnsafe<
      { migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null }[]
    >(
      'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(
      files.map((file) => [file.name, file.checksum]),
    );
    expect(rows.every((row) => row.applied_steps_count === 1 && row.finished_at instanceof Date)).toBe(true);
    expect((await runMigrations(database.connection)).applied).toEqual([]);
  });

  it('applies each migration once when two migrators start together', async () => {
    const results = await Promise.all([
      runMigrations(database.connection),
      runMigrations(database.connection),
      runMigrations(database.connection),
    ]);
    const files = await readMigrations(defaultMigrationsDir());
    expect(results.flatMap((result) => result.applied).sort()).toEqual(files.map((file) => file.name).sort());
    const [{ count }] = await database.prisma.$queryRawUnsafe<{ count: bigint }[]>(
      'SELECT count(*) AS count FROM "_prisma_migrations"',
    );
    expect(Number(count)).toBe(files.length);
  });

  it('stops with a sentence naming the migration when an applied file was changed', async () => {
    await runMigrations(database.connection);
    const [first] = await readMigrations(defaultMigrationsDir());
    const edited: MigrationFile = {
      ...first,
      script: `${first.script}\n-- edited`,
      checksum: 'f'.repeat(64),
    };
    await expect(withSession(database, (session) => migrate(session, [edited]))).rejects.toThrow(
      new MigrationError(
        `Migration ${first.name} was changed after it was applied (checksum ${first.checksum} in the database, ${'f'.repeat(64)} on disk); restore the original file and put the change in a new migration.`,
      ),
    );
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const broken: MigrationFile = {
      name: '29990101000000_broken',
      script: 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
      checksum: 'a'.repeat(64),
    };
    await expect(withSession(database, (session) => migrate(session, [broken]))).rejects.toThrow(
      /Migration 29990101000000_broken failed and was rolled back: .*no_such_table/,
    );
    const tables = await database.prisma.$queryRawUnsafe<unknown[]>(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'",
    );
    expect(tables).toEqual([]);
    const rows = await database.prisma.$queryRawUnsafe<unknown[]>(
      'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1',
      broken.name,
    );
    expect(rows).toEqual([]);
  });
});

describe('migrator on the embedded database', () => {
  it('migrates a fresh PGlite database, and twice started together apply each migration once', async () => {
    const database = await createEmbeddedTestDatabase({ migrate: false });
    try {
      const results = await Promise.all([
        runMigrations(database.connection),
        runMigrations(database.connection),
      ]);
      const files = await readMigrations(defaultMigrationsDir());
      expect(results.flatMap((result) => result.applied).sort()).toEqual(files.map((file) => file.name));
    } finally {
      await database.drop();
    }
  });
});
