import type { FatalStatus, SourceLocation } from '../grading/grade-report';

/**
 * A fatal outcome of running the submission (timeout, memory limit, a module that throws on load, ...).
 * Thrown out of `GraderContext.runAsync`; it ends grading and becomes the report's status.
 */
export class SandboxVerdictError extends Error {
  constructor(
    readonly status: FatalStatus,
    message: string,
    readonly location?: SourceLocation,
  ) {
    super(message);
    this.name = 'SandboxVerdictError';
  }
}

export function isSandboxVerdictError(error: unknown): error is SandboxVerdictError {
  return error instanceof SandboxVerdictError;
}
