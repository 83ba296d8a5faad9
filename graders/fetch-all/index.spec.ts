import { describeExerciseInProcess } from '../lib/testing/describe-exercise-in-process';

describeExerciseInProcess('fetch-all', ['1', '2', 'seed-3', 'lockstep', '99']);
