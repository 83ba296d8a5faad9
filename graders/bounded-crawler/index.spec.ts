import { describeExerciseInProcess } from '../lib/testing/describe-exercise-in-process';

describeExerciseInProcess('bounded-crawler', ['1', '2', 'seed-3', 'lockstep', '99']);
