/**
 * An exercise as it stands on disk under `exercises/<slug>/`:
 *   exercise.json  metadata, limits, checks and grader settings (shape below)
 *   statement.md   the statement students read (Markdown)
 *   contract.ts    the exported names and signatures, exactly as the brief gives them
 *   starter.ts     what a student starts from
 *   solution.ts    the reference solution (instructors only; must pass on every seed)
 *   bad/*.ts       known-bad variants; the first line `// expect-fail: <check-id>[, <check-id>]`
 */
export type ExerciseKind = 'async' | 'threads';

export interface CheckDefinition {
  id: string;
  name: string;
  points: number;
  /** Students see only whether a hidden check passed and how it failed, never its inputs, console or message. */
  hidden: boolean;
}

export interface ExerciseLimits {
  /** Wall-clock limit for the whole grading of one submission. */
  timeoutMs: number;
  /** Heap limit of each isolate. */
  memoryMb: number;
  /** Bytes of console output kept; more is an `output_limit` verdict. */
  maxConsoleBytes: number;
  /**
   * Cores the grading needs to itself, for checks that measure speed: `true` asks for 2, a number
   * for that many; the pool gives min(asked, host cores) and runs nothing else on them meanwhile.
   * Absent or false: the grading shares the machine.
   */
  dedicatedCores?: boolean | number;
}

/** Cores an exercise asks to have to itself (0: none), before the host's core count caps it. */
export function requestedDedicatedCores(limits: ExerciseLimits): number {
  const asked = limits.dedicatedCores;
  if (asked === true) return 2;
  return typeof asked === 'number' ? asked : 0;
}

/** The JSON file as authored. */
export interface ExerciseManifest {
  title: string;
  kind: ExerciseKind;
  /** Name of the grader under graders/ (see graders/index.ts). */
  grader: string;
  /** Names the submission must export. */
  exports: string[];
  limits: ExerciseLimits;
  checks: CheckDefinition[];
  settings?: Record<string, unknown>;
}

export interface ExerciseDefinition extends ExerciseManifest {
  slug: string;
  statement: string;
  contract: string;
  starter: string;
  /** sha256 of what students see and what grading depends on; a changed exercise is a new version. */
  contentHash: string;
  /** Absolute path of the folder, for tools that read solution.ts and bad/ (never sent to students). */
  dir: string;
}
