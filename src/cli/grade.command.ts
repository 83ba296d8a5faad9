import { readFileSync } from 'node:fs';
import { ExerciseCatalog } from '../exercises/exercise-catalog';
import { replayCommand } from '../grading/assemble-report';
import type { GradeReport } from '../grading/grade-report';
import { SandboxPool } from '../sandbox/sandbox-pool';
import { readCliEnvironment, type CliEnvironment } from './cli-environment';

const USAGE = 'usage: lockstep grade --exercise <slug> <file.ts> [--json] [--seed <seed>]';

interface GradeArguments {
  exercise: string;
  file: string;
  json: boolean;
  seed?: string;
}

/**
 * `lockstep grade`: grades a file locally with the code the server uses (a SandboxPool of one
 * process; no database, no queue). Exit 0 when passed, 1 otherwise, 2 on bad usage.
 */
export async function runGradeCommand(
  argv: string[],
  environment: CliEnvironment = readCliEnvironment(),
): Promise<number> {
  const parsed = parseGradeArguments(argv);
  if (typeof parsed === 'string') return usageError(parsed);
  let code: string;
  try {
    code = readFileSync(parsed.file, 'utf8');
  } catch {
    return usageError(`cannot read ${parsed.file}`);
  }
  const catalog = ExerciseCatalog.load(environment.exercisesDir);
  if (!catalog.get(parsed.exercise)) {
    const known = catalog
      .list()
      .map((exercise) => exercise.slug)
      .join(', ');
    return usageError(`unknown exercise '${parsed.exercise}' (known: ${known || 'none'})`);
  }
  const pool = new SandboxPool({
    size: 1,
    exercisesDir: environment.exercisesDir,
    gradersDir: environment.gradersDir,
    // stdout carries the report (JSON with --json); only a missing protection is worth a line.
    logOsLimits: (line, complete) => {
      if (!complete) process.stderr.write(`lockstep grade: ${line}\n`);
    },
    // One process grades one file: a job with dedicated cores runs alone with or without pinning.
    logDedicatedCores: () => undefined,
  });
  try {
    const report = await pool.grade({ exercise: parsed.exercise, code, seed: parsed.seed });
    process.stdout.write(
      parsed.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, parsed.file),
    );
    return report.status === 'passed' ? 0 : 1;
  } finally {
    await pool.close();
  }
}

function parseGradeArguments(argv: string[]): GradeArguments | string {
  let exercise: string | undefined;
  let seed: string | undefined;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inlineValue] = argv[i].startsWith('--') ? argv[i].split(/=(.*)/s, 2) : [argv[i]];
    const value = () => inlineValue ?? argv[++i];
    if (flag === '--exercise') exercise = value();
    else if (flag === '--seed') seed = value();
    else if (flag === '--json') json = true;
    else if (flag.startsWith('-')) return `unknown option ${flag}`;
    else files.push(flag);
  }
  if (!exercise) return 'missing --exercise <slug>';
  if (seed === undefined && argv.includes('--seed')) return 'missing value for --seed';
  if (files.length !== 1)
    return files.length === 0 ? 'missing the file to grade' : `expected one file, got ${files.length}`;
  return { exercise, file: files[0], json, seed };
}

function usageError(message: string): number {
  process.stderr.write(`lockstep grade: ${message}\n${USAGE}\n`);
  return 2;
}

const STATUS_MARK = { passed: 'PASS', failed: 'FAIL', skipped: 'SKIP' } as const;

export function formatReport(report: GradeReport, file: string): string {
  const lines = [
    `${file}: ${report.exercise} ${report.status.toUpperCase()} ${report.score}/${report.maxScore}`,
  ];
  if (report.error) {
    const where = report.error.location
      ? ` (line ${report.error.location.line}, column ${report.error.location.column})`
      : '';
    lines.push(`  ${report.error.message}${where}`);
  }
  for (const check of report.checks) {
    lines.push(
      `  ${STATUS_MARK[check.status]} ${check.id} ${check.score}/${check.maxScore}  ${check.name}${check.hidden ? ' (hidden)' : ''}`,
    );
    if (check.message && check.status === 'failed') lines.push(`       ${check.message}`);
  }
  if (report.console?.length)
    lines.push('  console:', ...report.console.slice(0, 20).map((line) => `    ${line}`));
  if ((report.console?.length ?? 0) > 20)
    lines.push(`    ... ${report.console!.length - 20} more lines (use --json)`);
  lines.push(`  seed ${report.seed}, ${report.durationMs} ms, grader ${report.graderVersion}`);
  if (report.status !== 'passed')
    lines.push(`  replay: ${replayCommand(report.exercise, report.seed, file)}`);
  return `${lines.join('\n')}\n`;
}
