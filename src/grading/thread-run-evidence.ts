import type { ThreadEnd as ReportedEnd, ThreadReport, ThreadRunEvidence } from '../../graders/grader-api';
import type { ConsoleBudget } from '../sandbox/console-budget';
import type { GradingDeadline } from '../sandbox/grading-deadline';
import { timeoutVerdict } from '../sandbox/isolate-error-verdict';
import { SandboxVerdictError } from '../sandbox/sandbox-verdict-error';
import type { ThreadEnd, ThreadRunOutcome } from '../sandbox/threads/thread-runtime';

export interface ThreadRunCircumstances {
  label?: string;
  deadline: GradingDeadline;
  /** The run's wall time was cut to what the grading had left: its timeout is the grading's. */
  cutByDeadline: boolean;
  memoryMbPerThread: number;
  console: ConsoleBudget;
  host?: ThreadRunEvidence['host'];
}

/**
 * Turns the runtime's outcome into what the grader judges. What ends grading is thrown as a verdict:
 * the grading deadline passing, a thread over its memory, a module that throws while it loads, too
 * much console output, and a thread code result that cannot be copied (a grader bug). A run that
 * deadlocks, or passes the scenario's own wall time, is evidence: the grader fails a check with it.
 */
export function threadRunEvidence(
  outcome: ThreadRunOutcome,
  circumstances: ThreadRunCircumstances,
): ThreadRunEvidence {
  throwFatal(outcome, circumstances);
  const threads = outcome.threads.map((thread): ThreadReport => ({
    index: thread.index,
    threadId: thread.threadId,
    end: reportedEnd(thread.end),
    cpuMs: thread.cpuMs,
    blockedMs: thread.blockedMs,
    waits: thread.waits,
    waitingOn: thread.waitingOn,
  }));
  const status = outcome.status === 'deadlock' || outcome.status === 'timeout' ? outcome.status : 'completed';
  return {
    ...(circumstances.label === undefined ? {} : { label: circumstances.label }),
    status,
    wallMs: outcome.wallMs,
    threads,
    lostWakeups: outcome.lostWakeups,
    console: outcome.console,
    ...(circumstances.host ? { host: circumstances.host } : {}),
  };
}

/** The fields of a run's outcome that can end grading; real and controlled runs both have them. */
export interface FatalCandidate {
  status: string;
  threads: { index: number; threadId: number; end: ThreadEnd }[];
}

export function throwFatal(
  outcome: FatalCandidate,
  circumstances: Pick<ThreadRunCircumstances, 'deadline' | 'cutByDeadline' | 'memoryMbPerThread' | 'console'>,
): void {
  const threadNamed = (index: number) => `thread ${outcome.threads[index].threadId}`;
  switch (outcome.status) {
    case 'timeout':
      if (circumstances.cutByDeadline) throw timeoutVerdict(circumstances.deadline);
      break;
    case 'memory_limit': {
      const index = outcome.threads.findIndex((thread) => thread.end.kind === 'memory_limit');
      throw new SandboxVerdictError(
        'memory_limit',
        `${index < 0 ? 'a thread' : threadNamed(index)} used more than the ${circumstances.memoryMbPerThread} MB of memory each thread may use`,
      );
    }
    case 'load_error': {
      const failed = outcome.threads.find((thread) => thread.end.kind === 'threw')?.end;
      const thrown = failed?.kind === 'threw' ? failed : undefined;
      throw new SandboxVerdictError(
        'runtime_error',
        `the module threw while it loaded in a thread: ${thrown?.message ?? 'unknown error'}`,
        thrown?.location,
      );
    }
    case 'output_limit':
      throw new SandboxVerdictError(
        'output_limit',
        `the submission printed more than ${circumstances.console.maxBytes} bytes of console output`,
      );
  }
  const uncopyable = outcome.threads.find((thread) => thread.end.kind === 'uncopyable-result');
  if (uncopyable?.end.kind === 'uncopyable-result') {
    // The thread code chose what to return; the contract asks for plain data (docs/threads.md).
    throw new SandboxVerdictError(
      'internal_error',
      `the grader's thread code returned a value that cannot be copied out of ${threadNamed(uncopyable.index)} ` +
        `(it must return plain data): ${uncopyable.end.message}`,
    );
  }
}

export function reportedEnd(end: ThreadEnd): ReportedEnd {
  switch (end.kind) {
    case 'returned':
      return { kind: 'returned', value: end.value };
    case 'threw':
      return { kind: 'threw', message: end.message, ...(end.location ? { location: end.location } : {}) };
    default:
      return { kind: 'stopped' };
  }
}
