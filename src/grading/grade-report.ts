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

/**
 * How a hidden check that did not pass ended, which is all of it students are shown:
 * wrong_result when every run of it ended normally and a judgement failed; runtime_error,
 * deadlock or timeout when one of its runs ended so (the submission threw or rejected; no thread
 * or operation could move; time ran out), in that order when several did; or the fatal status
 * when grading ended inside it (runtime_error, timeout, memory_limit, output_limit, internal_error).
 */
export const HIDDEN_FAILURE_KINDS = [
  'wrong_result',
  'runtime_error',
  'deadlock',
  'timeout',
  'memory_limit',
  'output_limit',
  'internal_error',
] as const;
export type HiddenFailureKind = (typeof HIDDEN_FAILURE_KINDS)[number];

export interface CheckResult {
  id: string;
  name: string;
  status: CheckStatus;
  score: number;
  maxScore: number;
  /** What went wrong, with evidence; for a hidden check students are shown only the status and `failureKind`. */
  message: string;
  hidden: boolean;
  /** A hidden check that failed, or whose run ended grading (then it is `skipped`): how (see HiddenFailureKind). */
  failureKind?: HiddenFailureKind;
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
  /**
   * Present for fatal statuses: a sentence for the student, and where in their file when known.
   * `hiddenCheck`: grading ended while that hidden check's runs ran; students are shown a sentence
   * naming the check and the status instead of the message, and no location.
   */
  error?: { message: string; location?: SourceLocation; hiddenCheck?: string };
  /** The submission's console output, bounded, in the order it was printed. */
  console?: string[];
  /** The lines of `console` printed while hidden checks' runs ran (staff only: students are shown the others). */
  hiddenConsole?: HiddenConsoleRange[];
}

/** `console.slice(start, end)` was printed during hidden check `check`'s runs. */
export interface HiddenConsoleRange {
  check: string;
  start: number;
  end: number;
}
