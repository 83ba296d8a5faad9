import { createPostgresTestDatabase, TestDatabase } from '../database/test-database';
import { exerciseDefinition } from '../database/test-fixtures';
import { ExercisesRepository } from './exercises.repository';

describe('ExercisesRepository on Postgres', () => {
  let database: TestDatabase;
  let exercises: ExercisesRepository;
  beforeEach(async () => {
    database = await createPostgresTestDatabase();
    exercises = new ExercisesRepository(database.prisma);
  });
  afterEach(() => database.drop());

  it('stores the catalog with everything students and graders need, hidden flags included', async () => {
    const definition = exerciseDefinition('fetch-all');
    expect(await exercises.sync([definition], 'concurrency')).toEqual({
      newVersions: ['fetch-all'],
      unchanged: [],
    });
    const stored = await exercises.findBySlug('fetch-all');
    expect(stored).toMatchObject({
      slug: 'fetch-all',
      version: 1,
      title: definition.title,
      statement: definition.statement,
      contract: definition.contract,
      starter: definition.starter,
      limits: definition.limits,
      checks: definition.checks,
      kind: 'async',
      grader: 'fetch-all',
      exports: ['fetchAll'],
      settings: { maxConcurrency: 3 },
      contentHash: definition.contentHash,
    });
    expect(await exercises.list()).toEqual([stored]);
    expect(await exercises.findVersion(stored!.versionId)).toEqual(stored);
    expect(await exercises.findBySlug('missing')).toBeNull();
  });

  it('is idempotent, and a changed content hash becomes a new current version', async () => {
    await exercises.sync([exerciseDefinition('fetch-all')], 'concurrency');
    expect(await exercises.sync([exerciseDefinition('fetch-all')], 'concurrency')).toEqual({
      newVersions: [],
      unchanged: ['fetch-all'],
    });
    const first = (await exercises.findBySlug('fetch-all'))!;
    await exercises.sync([exerciseDefinition('fetch-all', 2)], 'concurrency');
    const second = (await exercises.findBySlug('fetch-all'))!;
    expect(second.version).toBe(2);
    expect(second.versionId).not.toBe(first.versionId);
    expect(await exercises.findVersion(first.versionId)).toMatchObject({ version: 1 });
  });

  it('converges to one version per content when two API processes sync at once', async () => {
    const catalog = [exerciseDefinition('a', 1), exerciseDefinition('b', 1)];
    await Promise.all([
      exercises.sync(catalog, 'concurrency'),
      exercises.sync(catalog, 'concurrency'),
      exercises.sync(catalog, 'concurrency'),
    ]);
    expect(await database.prisma.exercise.count()).toBe(2);
    expect(await database.prisma.exerciseVersion.count()).toBe(2);
    expect((await exercises.list()).map((exercise) => [exercise.slug, exercise.version])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });
});
