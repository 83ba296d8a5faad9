import type { ThreadReport, ThreadRunEvidence, WaitSite } from '../../grader-api';
import type { ThreadPlace, ThreadTally } from '../mutex-memory';
import type { CountingRun, HoldRun, TwoIndexesRun } from '../mutex-runs';

/** Hand-made evidence for the judges' unit specs: what the host would read back after a run. */

export function thread(index: number, overrides: Partial<ThreadReport> = {}): ThreadReport {
  return {
    index,
    threadId: index + 1,
    end: { kind: 'returned', value: undefined },
    cpuMs: 40,
    blockedMs: 5,
    waits: 3,
    waitingOn: null,
    ...overrides,
  };
}

/** A thread the run stopped while it slept on `site`. */
export function asleep(
  index: number,
  site: Partial<WaitSite>,
  overrides: Partial<ThreadReport> = {},
): ThreadReport {
  return thread(index, {
    end: { kind: 'stopped' },
    waitingOn: { buffer: 'state', index: 0, expected: 1, current: 1, timeoutMs: null, ...site },
    ...overrides,
  });
}

export function evidence(
  threads: ThreadReport[],
  overrides: Partial<ThreadRunEvidence> = {},
): ThreadRunEvidence {
  return { status: 'completed', wallMs: 120, threads, lostWakeups: [], console: [], ...overrides };
}

export function tallyRow(
  rounds: number,
  place: ThreadPlace = 'finished',
  overrides: Partial<ThreadTally> = {},
) {
  return { rounds, place, overlaps: 0, lockMs: 0, ...overrides };
}

export function countingRun(
  overrides: Partial<CountingRun> & Pick<CountingRun, 'tally' | 'counter'>,
): CountingRun {
  const threads = overrides.tally.length;
  return {
    label: `with ${threads} threads on run 2 of 3`,
    threads,
    rounds: 1_000_000,
    maxMs: 100,
    wallTimeMs: 3000,
    mutexIndex: null,
    alternate: false,
    evidence: evidence(overrides.tally.map((_, index) => thread(index))),
    ...overrides,
  };
}

export function holdRun(overrides: Partial<HoldRun> = {}): HoldRun {
  const tally = overrides.tally ?? [
    tallyRow(1),
    tallyRow(1, 'finished', { lockMs: 301 }),
    tallyRow(1, 'finished', { lockMs: 302 }),
  ];
  return {
    label: 'with thread 1 holding the lock for 300 ms and 2 threads waiting',
    waiters: tally.length - 1,
    holdMs: 300,
    mutexIndex: 0,
    wallTimeMs: 3000,
    tally,
    evidence: evidence(
      tally.map((_, index) => thread(index, { cpuMs: 1, blockedMs: 300, waits: 2 })),
      { wallMs: 303 },
    ),
    ...overrides,
  };
}

export function twoIndexesRun(overrides: Partial<TwoIndexesRun> = {}): TwoIndexesRun {
  return {
    indexes: [1, 3],
    wallTimeMs: 2000,
    tally: [tallyRow(2), tallyRow(2)],
    evidence: evidence([thread(0), thread(1)]),
    ...overrides,
  };
}
