import type { SourceLocation } from '../grading/grade-report';
import { SandboxVerdictError } from './sandbox-verdict-error';

/**
 * The RangeError V8 throws when the memory for an ArrayBuffer, SharedArrayBuffer or typed array
 * cannot be had: under an isolate's memory limit that means the submission asked for more memory
 * than it may use. Only this message: "Invalid array length" or "Invalid typed array length: 100"
 * (a view past its buffer) are ordinary bugs, not memory. (A submission can throw the same message
 * itself; it then gets memory_limit instead of a runtime error or failed checks, a failure either way.)
 */
const ALLOCATION_FAILURE = /^RangeError: Array buffer allocation failed\b/;

/** An error, described as `Name: message`, that V8 throws when memory for a buffer cannot be had (see above). */
export function isAllocationFailure(described: string): boolean {
  return ALLOCATION_FAILURE.test(described);
}

/** The memory_limit verdict for a failed allocation that reached the host as `what` (a throw, a rejection). */
export function allocationFailureVerdict(
  what: string,
  described: string,
  memoryMb: number,
  location?: SourceLocation,
): SandboxVerdictError {
  return new SandboxVerdictError(
    'memory_limit',
    `${what}: ${described} (it asked for more than the ${memoryMb} MB of memory it may use)`,
    location,
  );
}

/** The verdict for an error the submission threw and nobody caught: runtime_error, or memory_limit for a failed allocation. */
export function thrownErrorVerdict(
  what: string,
  message: string,
  memoryMb: number,
  location?: SourceLocation,
): SandboxVerdictError {
  if (isAllocationFailure(message)) return allocationFailureVerdict(what, message, memoryMb, location);
  return new SandboxVerdictError('runtime_error', `${what}: ${message}`, location);
}
