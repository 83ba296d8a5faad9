/**
 * The grade report: the one JSON shape the API, the CLI and stored submissions share.
 * `status` is `passed` exactly when every check passed; any other status says why not.
 */
export const REPORT_STATUSES = [
  'passed',
  'failed',
  'compile_error',
  'runtime_error',
  'timeout',
  'memory_limit',
  'output_limit',
  'internal_error',
] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Statuses that end grading early: the submission as a whole could not be judged check by check. */
export type FatalStatus = Exclude<ReportStatus, 'passed' | 'failed'>;

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  id: string;
  name: string;
  status: CheckStatus;
  score: number;
  maxScore: number;
  /** What went wrong, with evidence; for a hidden check the API shows students only the status. */
  message: string;
  hidden: boolean;
}

/** Where in the student's own file an error points (1-based line and column). */
export interface SourceLocation {
  line: number;
  column: number;
}

export interface GradeReport {
  exercise: string;
  status: ReportStatus;
  score: number;
  maxScore: number;
  checks: CheckResult[];
  seed: string;
  /**
   * The command that grades the same file again with the same seed, locally: every random choice,
   * every schedule of the controlled runs and every tie on the virtual clock follows from the seed,
   * so a failure found by them comes back step for step (real-parallel stress runs can only make a
   * race likely again).
   */
  replay: string;
  durationMs: number;
  graderVersion: string;
  /** Present for fatal statuses: a sentence for the student, and where in their file when known. */
  error?: { message: string; location?: SourceLocation };
  /** The submission's console output, bounded. */
  console?: string[];
}
