import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { validateExercise, type ValidatedGrading } from '../exercises/validate-exercise';
import { SandboxPool } from '../sandbox/sandbox-pool';
import { readCliEnvironment, type CliEnvironment } from './cli-environment';

const USAGE = 'usage: lockstep validate <exercise folder or slug> [--seeds s1,s2,...] [--pool <processes>]';
export const DEFAULT_VALIDATION_SEEDS = ['1', '2', 'lockstep-3'];

/**
 * `lockstep validate`: checks a new exercise folder the way CI does (docs/authoring.md). Exit 0
 * when the reference passes and every known-bad variant fails its named checks on every seed.
 */
export async function runValidateCommand(
  argv: string[],
  environment: CliEnvironment = readCliEnvironment(),
): Promise<number> {
  const parsed = parseArguments(argv, environment);
  if (typeof parsed === 'string') {
    process.stderr.write(`lockstep validate: ${parsed}\n${USAGE}\n`);
    return 2;
  }
  const pool = new SandboxPool({
    size: parsed.pool,
    exercisesDir: dirname(parsed.dir),
    gradersDir: environment.gradersDir,
    logOsLimits: (line, complete) => {
      if (!complete) process.stderr.write(`lockstep validate: ${line}\n`);
    },
    logDedicatedCores: () => undefined,
  });
  const width = 48;
  try {
    const validation = await validateExercise(parsed.dir, basename(parsed.dir), {
      grade: (request) => pool.grade(request),
      seeds: parsed.seeds,
      onGraded: (graded) => process.stdout.write(`${describeGrading(graded, width)}\n`),
    });
    for (const problem of validation.folderProblems) process.stdout.write(`FAIL  ${problem}\n`);
    process.stdout.write(`${summary(validation.gradings, validation.folderProblems.length)}\n`);
    return validation.ok ? 0 : 1;
  } finally {
    await pool.close();
  }
}

function describeGrading(graded: ValidatedGrading, width: number): string {
  const { report } = graded;
  const what = `${graded.file} (seed ${graded.seed})`.padEnd(width);
  const result = `${report.status} ${report.score}/${report.maxScore}, ${seconds(report.durationMs)}`;
  return graded.problem === null ? `ok    ${what} ${result}` : `FAIL  ${what} ${result}: ${graded.problem}`;
}

function summary(gradings: ValidatedGrading[], folderProblems: number): string {
  const problems = gradings.filter((graded) => graded.problem !== null).length + folderProblems;
  const times = gradings.map((graded) => graded.report.durationMs).sort((a, b) => a - b);
  const median = times.length === 0 ? 0 : times[Math.floor(times.length / 2)];
  const worst = times.at(-1) ?? 0;
  const verdict = problems === 0 ? 'valid' : `${problems} problem${problems === 1 ? '' : 's'}`;
  return `${verdict}: ${gradings.length} gradings, median ${seconds(median)}, worst ${seconds(worst)}`;
}

const seconds = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

function parseArguments(
  argv: string[],
  environment: CliEnvironment,
): { dir: string; seeds: string[]; pool: number } | string {
  let seeds = DEFAULT_VALIDATION_SEEDS;
  let pool = 1;
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s, 2) : [argv[i]];
    const value = () => inline ?? argv[++i];
    if (flag === '--seeds') seeds = (value() ?? '').split(',').filter(Boolean);
    else if (flag === '--pool') pool = Number(value());
    else if (flag.startsWith('-')) return `unknown option ${flag}`;
    else targets.push(flag);
  }
  if (targets.length !== 1)
    return targets.length === 0 ? 'missing the exercise folder' : 'expected one exercise folder';
  if (seeds.length === 0) return '--seeds needs at least one seed';
  if (!Number.isInteger(pool) || pool < 1 || pool > 8) return '--pool must be a whole number from 1 to 8';
  const asPath = resolve(targets[0]);
  const dir = existsSync(join(asPath, 'exercise.json')) ? asPath : join(environment.exercisesDir, targets[0]);
  if (!existsSync(join(dir, 'exercise.json')))
    return `${targets[0]} is neither a folder with an exercise.json nor an exercise in ${environment.exercisesDir}`;
  return { dir, seeds, pool };
}
