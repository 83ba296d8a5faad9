import type { ExerciseDefinition } from '../exercises/exercise-definition';
import type { GradeReport } from '../grading/grade-report';

/** IPC between the pool (parent) and a sandbox process (child). The child holds no credentials. */
export interface SandboxProcessConfig {
  /** Absent: the graders compiled beside the sandbox process. */
  gradersDir?: string;
  /**
   * The pool's process id. The sandbox process kills itself once its parent is no longer this one,
   * also when the parent died before the child started; absent: the parent at start.
   */
  parentPid?: number;
}

export type ParentToSandbox = {
  type: 'grade';
  jobId: number;
  exercise: ExerciseDefinition;
  code: string;
  seed?: string;
  /** Cores the pool reserved for this job and pinned it to; 0 when it shares the machine. */
  dedicatedCores: number;
  /** When the parent kills the process for this job; the process kills itself a little later. */
  wallLimitMs: number;
};

export type SandboxToParent = { type: 'ready' } | { type: 'report'; jobId: number; report: GradeReport };
