import type { ThreadReport, ThreadRunEvidence, WaitSite } from '../../grader-api';

/** Hand-made thread-run evidence for judges' unit specs: what the host would report after a run. */

export function threadReport(index: number, overrides: Partial<ThreadReport> = {}): ThreadReport {
  return {
    index,
    threadId: index + 1,
    end: { kind: 'returned', value: null },
    cpuMs: 2,
    blockedMs: 20,
    waits: 3,
    waitingOn: null,
    ...overrides,
  };
}

/** A thread the run stopped while it slept on `site` (no timeout unless given). */
export function asleepReport(
  index: number,
  site: Partial<WaitSite> & Pick<WaitSite, 'buffer' | 'index'>,
  overrides: Partial<ThreadReport> = {},
): ThreadReport {
  return threadReport(index, {
    end: { kind: 'stopped' },
    waitingOn: { expected: 1, current: 1, timeoutMs: null, ...site },
    ...overrides,
  });
}

export function threwReport(index: number, message: string, line?: number): ThreadReport {
  return threadReport(index, {
    end: { kind: 'threw', message, ...(line === undefined ? {} : { location: { line, column: 5 } }) },
  });
}

export function runEvidence(
  threads: ThreadReport[],
  overrides: Partial<ThreadRunEvidence> = {},
): ThreadRunEvidence {
  return { status: 'completed', wallMs: 180, threads, lostWakeups: [], console: [], ...overrides };
}
