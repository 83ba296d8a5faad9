import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ExerciseDefinition, ExerciseManifest } from './exercise-definition';
import { exerciseManifestSchema } from './exercise-manifest-schema';

/** The files students see and grading depends on, in the order they enter `contentHash`. */
const CONTENT_FILES = ['exercise.json', 'statement.md', 'contract.ts', 'starter.ts'] as const;

/** An exercise folder that cannot be used as it stands: the message names the file and the field. */
export class ExerciseFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExerciseFolderError';
  }
}

/** `<repo root>/exercises`, found from this file's location so it works from src/ and from dist/. */
export function defaultExercisesDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && !dir.endsWith('dist')) return join(dir, 'exercises');
  }
  return resolve(__dirname, '../../exercises');
}

/** Every exercise under `exercisesDir`, validated once when the catalog loads. */
export class ExerciseCatalog {
  private constructor(private readonly bySlug: ReadonlyMap<string, ExerciseDefinition>) {}

  static load(exercisesDir: string): ExerciseCatalog {
    if (!existsSync(exercisesDir))
      throw new ExerciseFolderError(`exercises folder ${exercisesDir} does not exist`);
    const slugs = readdirSync(exercisesDir)
      .filter((entry) => statSync(join(exercisesDir, entry)).isDirectory())
      .sort();
    return new ExerciseCatalog(
      new Map(slugs.map((slug) => [slug, loadExercise(join(exercisesDir, slug), slug)])),
    );
  }

  get(slug: string): ExerciseDefinition | undefined {
    return this.bySlug.get(slug);
  }

  list(): ExerciseDefinition[] {
    return [...this.bySlug.values()];
  }
}

export function loadExercise(dir: string, slug: string): ExerciseDefinition {
  const contents = Object.fromEntries(
    CONTENT_FILES.map((file) => [file, readRequired(join(dir, file), slug)]),
  ) as Record<(typeof CONTENT_FILES)[number], string>;
  const manifest = parseManifest(contents['exercise.json'], `${slug}/exercise.json`);
  const hash = createHash('sha256');
  for (const file of CONTENT_FILES) hash.update(file).update('\0').update(contents[file]).update('\0');
  return {
    ...manifest,
    slug,
    statement: contents['statement.md'],
    contract: contents['contract.ts'],
    starter: contents['starter.ts'],
    contentHash: hash.digest('hex'),
    dir: resolve(dir),
  };
}

function readRequired(path: string, slug: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ExerciseFolderError(`exercise '${slug}' is missing ${path}`);
  }
}

function parseManifest(text: string, fileLabel: string): ExerciseManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExerciseFolderError(`${fileLabel} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = exerciseManifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ExerciseFolderError(`${fileLabel} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data as ExerciseManifest;
}
