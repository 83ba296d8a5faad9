import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ExerciseFolderError, loadExercise } from './exercise-catalog';
import { requestedDedicatedCores } from './exercise-definition';

const FIXTURE = resolve(__dirname, '../sandbox/__fixtures__/exercises/fixture-fetch');

/** A copy of the fixture exercise whose exercise.json has `limits.dedicatedCores` set to `value`. */
function exerciseWithDedicatedCores(value: unknown): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'lockstep-catalog-')), 'fixture-fetch');
  cpSync(FIXTURE, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'exercise.json'), 'utf8'));
  manifest.limits.dedicatedCores = value;
  writeFileSync(join(dir, 'exercise.json'), JSON.stringify(manifest));
  return dir;
}

describe('limits.dedicatedCores in exercise.json', () => {
  it.each([
    [undefined, 0],
    [false, 0],
    [true, 2],
    [1, 1],
    [4, 4],
  ])('accepts %j and asks for %i cores', (value, cores) => {
    const exercise = loadExercise(exerciseWithDedicatedCores(value), 'fixture-fetch');
    expect(requestedDedicatedCores(exercise.limits)).toBe(cores);
  });

  it.each([0, -1, 1.5, 257, 'yes', null])('refuses %j with a sentence that says what it must be', (value) => {
    expect(() => loadExercise(exerciseWithDedicatedCores(value), 'fixture-fetch')).toThrow(
      new ExerciseFolderError(
        'fixture-fetch/exercise.json is invalid: limits.dedicatedCores: must be true (2 cores), false, or a whole number of cores from 1 to 256',
      ),
    );
  });
});
