import { defaultExercisesDir } from '../exercises/exercise-catalog';

/** The CLI's only reads of the environment, made once at the entry and passed down. */
export interface CliEnvironment {
  exercisesDir: string;
  /** Not read from the environment; tests set it to grade fixture exercises. */
  gradersDir?: string;
}

export function readCliEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  return { exercisesDir: env.LOCKSTEP_EXERCISES_DIR || defaultExercisesDir() };
}
