import type { ExerciseDefinition } from '../exercises/exercise-definition';
import type {
  CheckResult,
  FatalStatus,
  GradeReport,
  HiddenConsoleRange,
  SourceLocation,
} from './grade-report';

export interface FatalOutcome {
  status: FatalStatus;
  message: string;
  location?: SourceLocation;
  /** Grading ended while this hidden check's runs ran. */
  hiddenCheck?: string;
}

export interface ReportParts {
  exercise: ExerciseDefinition;
  /** Results of the checks recorded; checks left out are `skipped`. */
  checks?: CheckResult[];
  fatal?: FatalOutcome;
  seed: string;
  durationMs: number;
  graderVersion: string;
  console?: string[];
  /** The lines of `console` printed during hidden checks' runs. */
  hiddenConsole?: HiddenConsoleRange[];
}

/** The one place a GradeReport is put together, so `status` and the scores always agree with the checks. */
export function assembleReport(parts: ReportParts): GradeReport {
  const checks = parts.checks ?? skippedChecks(parts.exercise);
  const allPassed = checks.length > 0 && checks.every((check) => check.status === 'passed');
  const report: GradeReport = {
    exercise: parts.exercise.slug,
    status: parts.fatal ? parts.fatal.status : allPassed ? 'passed' : 'failed',
    score: checks.reduce((sum, check) => sum + check.score, 0),
    maxScore: checks.reduce((sum, check) => sum + check.maxScore, 0),
    checks,
    seed: parts.seed,
    replay: replayCommand(parts.exercise.slug, parts.seed),
    durationMs: Math.round(parts.durationMs),
    graderVersion: parts.graderVersion,
  };
  if (parts.fatal)
    report.error = {
      message: parts.fatal.message,
      ...(parts.fatal.location ? { location: parts.fatal.location } : {}),
      ...(parts.fatal.hiddenCheck ? { hiddenCheck: parts.fatal.hiddenCheck } : {}),
    };
  if (parts.console && parts.console.length > 0) report.console = parts.console;
  if (report.console && parts.hiddenConsole && parts.hiddenConsole.length > 0)
    report.hiddenConsole = parts.hiddenConsole;
  return report;
}

/** `lockstep grade` with this seed; words are quoted when the shell would split or expand them. */
export function replayCommand(exercise: string, seed: string, file = 'solution.ts'): string {
  return `npx lockstep grade --exercise ${shellWord(exercise)} ${shellWord(file)} --seed ${shellWord(seed)}`;
}

function shellWord(word: string): string {
  return /^[\w.:/@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function skippedChecks(exercise: ExerciseDefinition): CheckResult[] {
  return exercise.checks.map((check) => ({
    id: check.id,
    name: check.name,
    status: 'skipped',
    score: 0,
    maxScore: check.points,
    message: '',
    hidden: check.hidden,
  }));
}
