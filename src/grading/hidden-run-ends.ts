import type {
  AsyncRunEvidence,
  ControlledRunEvidence,
  DriverRunEvidence,
  MainRunEvidence,
  ThreadRunEvidence,
} from '../../graders/grader-api';

/**
 * How one run ended, as far as telling a student how a hidden check failed goes (HiddenFailureKind):
 * the submission threw or rejected; nothing could move any more; time ran out. Null: it ended
 * normally, and whatever failed was in what it did.
 */
export type RunEnd = 'runtime_error' | 'deadlock' | 'timeout';

/** The more telling of two ends: a throw usually explains the deadlock or the wait that follows it. */
const SEVERITY: readonly RunEnd[] = ['runtime_error', 'deadlock', 'timeout'];

export function worseEnd(a: RunEnd | null, b: RunEnd | null): RunEnd | null {
  if (a === null || b === null) return a ?? b;
  return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

export function asyncRunEnd(evidence: AsyncRunEvidence): RunEnd | null {
  const { result } = evidence;
  if (result.kind === 'rejected' || evidence.unhandledRejections.length > 0) return 'runtime_error';
  if (result.kind === 'pending') return result.reason === 'no-events-left' ? 'deadlock' : 'timeout';
  return null;
}

export function driverRunEnd(evidence: DriverRunEvidence): RunEnd | null {
  const rejected = evidence.operations.some((operation) => operation.outcome.kind === 'rejected');
  if (rejected || evidence.unhandledRejections.length > 0) return 'runtime_error';
  if (evidence.end === 'deadlock') return 'deadlock';
  return evidence.end === 'virtual-time-cap' ? 'timeout' : null;
}

export function threadRunEnd(evidence: ThreadRunEvidence): RunEnd | null {
  if (evidence.threads.some((thread) => thread.end.kind === 'threw')) return 'runtime_error';
  if (evidence.status === 'deadlock') return 'deadlock';
  return evidence.status === 'timeout' ? 'timeout' : null;
}

/** A run stopped at its step limit proves nothing either way (docs/scheduler.md): not an end that explains a failure. */
export function controlledRunEnd(evidence: ControlledRunEvidence): RunEnd | null {
  if (evidence.threads.some((thread) => thread.end.kind === 'threw')) return 'runtime_error';
  if (evidence.status === 'deadlock') return 'deadlock';
  return evidence.status === 'timeout' ? 'timeout' : null;
}

export function mainRunEnd(evidence: MainRunEvidence): RunEnd | null {
  if (evidence.result.kind === 'rejected' || evidence.workers.some((worker) => worker.end === 'threw'))
    return 'runtime_error';
  return evidence.result.kind === 'timeout' ? 'timeout' : null;
}
