import type { ThrownValue } from '../isolate/worker-threads/worker-thread-contract';
import { SandboxVerdictError } from '../sandbox-verdict-error';
import { SUBMISSION_FILE_NAME } from '../transpile-submission';

/** How a rejection the host caught travels on, as if the thread had thrown it. */
export function thrownFromRejection(error: unknown): ThrownValue {
  if (error instanceof Error)
    return {
      isError: true,
      text: `${error.name}: ${error.message}`,
      name: error.name,
      message: error.message,
      stack: error.stack,
    };
  return { isError: false, text: String(error), value: error };
}

export function missingExportVerdict(exportName: string, type: string): SandboxVerdictError {
  return new SandboxVerdictError(
    'runtime_error',
    type === 'undefined'
      ? `${SUBMISSION_FILE_NAME} does not export a function named ${exportName}`
      : `${SUBMISSION_FILE_NAME} exports ${exportName}, but it is a ${type}, not a function`,
  );
}

export function internalError(error: unknown): SandboxVerdictError {
  return new SandboxVerdictError(
    'internal_error',
    `the worker-thread runtime failed: ${(error as Error)?.message ?? String(error)}`,
  );
}
