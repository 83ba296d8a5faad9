import type { SourceLocation } from '../grading/grade-report';
import { SandboxVerdictError } from './sandbox-verdict-error';

/**
 * V8 throws these RangeErrors when an ArrayBuffer, SharedArrayBuffer or typed array cannot be
 * allocated: under an isolate's memory limit that means the submission asked for more memory than
 * it may use. (A submission can throw the same message itself; it then gets memory_limit instead
 * of runtime_error, a failure either way.)
 */
const ALLOCATION_FAILURE =
  /^RangeError: (Array buffer allocation failed|Invalid (typed )?array length|Array buffer length)/;

/** An error V8 throws when memory for a buffer cannot be had (see above). */
export function isAllocationFailure(message: string): boolean {
  return ALLOCATION_FAILURE.test(message);
}

/** The verdict for an error the submission threw and nobody caught: runtime_error, or memory_limit for a failed allocation. */
export function thrownErrorVerdict(
  what: string,
  message: string,
  memoryMb: number,
  location?: SourceLocation,
): SandboxVerdictError {
  if (isAllocationFailure(message)) {
    return new SandboxVerdictError(
      'memory_limit',
      `${what}: ${message} (it asked for more than the ${memoryMb} MB of memory it may use)`,
      location,
    );
  }
  return new SandboxVerdictError('runtime_error', `${what}: ${message}`, location);
}
