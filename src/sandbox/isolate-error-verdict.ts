import type { GradingDeadline } from './grading-deadline';
import { SandboxVerdictError } from './sandbox-verdict-error';
import { allocationFailureVerdict, isAllocationFailure } from './thrown-error-verdict';
import type { CompiledSubmission } from './transpile-submission';

/** What the sandbox knew when a call into the isolate threw. */
export interface IsolateErrorCircumstances {
  isolateDisposed: boolean;
  deadline: GradingDeadline;
  memoryMb: number;
  /** The runtime's driver got to the end of the call before the error. */
  driverReturned: boolean;
  submission: CompiledSubmission;
}

/**
 * What an error out of a call into the isolate means. Decided from the sandbox's own state, not
 * from the message alone: a submission can reject a promise with any message it likes.
 */
export function verdictForIsolateError(
  error: unknown,
  circumstances: IsolateErrorCircumstances,
): SandboxVerdictError {
  const message = error instanceof Error ? error.message : String(error);
  // isolated-vm disposes an isolate that passes its memory limit (and abort() disposes one on purpose, handled before).
  if (circumstances.isolateDisposed) {
    if (/memory limit/i.test(message)) {
      return new SandboxVerdictError(
        'memory_limit',
        `the submission used more than the ${circumstances.memoryMb} MB of memory it may use`,
      );
    }
    return new SandboxVerdictError('memory_limit', `the sandbox stopped the submission: ${message}`);
  }
  if (circumstances.deadline.passed() && /timed out/i.test(message))
    return timeoutVerdict(circumstances.deadline);
  // The driver catches everything the submission throws, so an error after it returned is the one isolated-vm
  // raises once microtasks drain and a promise is still rejected with no handler (Node ends the program there).
  if (circumstances.driverReturned)
    return unhandledRejectionVerdict(error, circumstances.submission, circumstances.memoryMb);
  return new SandboxVerdictError('internal_error', `the sandbox runtime failed: ${message}`);
}

export function timeoutVerdict(deadline: GradingDeadline): SandboxVerdictError {
  return new SandboxVerdictError(
    'timeout',
    `the submission ran for more than ${deadline.budgetMs} ms of real time (an endless loop, or work that never yields)`,
  );
}

function unhandledRejectionVerdict(
  reason: unknown,
  submission: CompiledSubmission,
  memoryMb: number,
): SandboxVerdictError {
  const described = reason instanceof Error ? `${reason.name}: ${reason.message}` : describeValue(reason);
  const location = reason instanceof Error ? submission.sourceMap.locateStack(reason.stack) : undefined;
  if (reason instanceof Error && isAllocationFailure(described))
    return allocationFailureVerdict('unhandled promise rejection', described, memoryMb, location);
  return new SandboxVerdictError(
    'runtime_error',
    `unhandled promise rejection: ${described} (a promise was rejected and nothing handled it; in Node this ends the program)`,
    location,
  );
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
