import { ExerciseCatalog } from '../exercises/exercise-catalog';
import { readCliEnvironment, type CliEnvironment } from './cli-environment';

/** `lockstep exercises`: the slugs and titles of the exercises on disk. */
export async function runExercisesCommand(
  argv: string[],
  environment: CliEnvironment = readCliEnvironment(),
): Promise<number> {
  if (argv.length > 0) {
    process.stderr.write(`lockstep exercises: unexpected argument ${argv[0]}\nusage: lockstep exercises\n`);
    return 2;
  }
  const exercises = ExerciseCatalog.load(environment.exercisesDir).list();
  const width = Math.max(0, ...exercises.map((exercise) => exercise.slug.length));
  for (const exercise of exercises)
    process.stdout.write(`${exercise.slug.padEnd(width)}  ${exercise.title}\n`);
  return 0;
}
