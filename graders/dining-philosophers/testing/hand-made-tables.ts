import type { ThreadReport, ThreadRunEvidence } from '../../grader-api';
import { runEvidence, threadReport } from '../../lib/testing/hand-made-evidence';
import type { PhilosopherLedger } from '../table-memory';
import type { TableRun } from '../table-runs';

/** Hand-made tables for the judges' unit specs: what the host would read back after a run. */

export function philosopherRow(overrides: Partial<PhilosopherLedger> = {}): PhilosopherLedger {
  return {
    meals: 12,
    mealsWithoutForks: 0,
    firstBadMeal: null,
    waitingFor: null,
    place: 'returned',
    badReleases: 0,
    firstBadRelease: null,
    badForkNumbers: 0,
    firstBadForkNumber: null,
    acquires: 24,
    ...overrides,
  };
}

/** A table of `seats` where everyone ate 12 meals and returned, unless `overrides` say otherwise. */
export function tableRun(
  seats: number,
  overrides: {
    philosophers?: PhilosopherLedger[];
    forkOwners?: (number | null)[];
    threads?: ThreadReport[];
    evidence?: Partial<ThreadRunEvidence>;
  } = {},
): TableRun {
  const threads = overrides.threads ?? Array.from({ length: seats }, (_, seat) => threadReport(seat));
  return {
    plan: {
      label: `with ${seats} seats (run 1 of 2)`,
      seats,
      meals: 12,
      pauses: {
        firstGrab: { minMs: 15, maxMs: 30 },
        acquire: { minMs: 0, maxMs: 2 },
        eat: { minMs: 0, maxMs: 2 },
        think: { minMs: 0, maxMs: 2 },
      },
      seeds: Array.from({ length: seats }, (_, seat) => seat + 1),
      wallTimeMs: 4000,
    },
    evidence: runEvidence(threads, overrides.evidence),
    forkOwners: overrides.forkOwners ?? Array.from({ length: seats }, () => null),
    philosophers: overrides.philosophers ?? Array.from({ length: seats }, () => philosopherRow()),
  };
}

/**
 * Every philosopher holds fork `seat` and sleeps in acquire((seat + 1) % seats): the circle that
 * left-then-right for everyone closes.
 */
export function deadlockedTable(seats: number): TableRun {
  return tableRun(seats, {
    philosophers: Array.from({ length: seats }, (_, seat) =>
      philosopherRow({ meals: 0, place: 'acquiring', waitingFor: (seat + 1) % seats, acquires: 1 }),
    ),
    forkOwners: Array.from({ length: seats }, (_, fork) => fork),
    threads: Array.from({ length: seats }, (_, seat) =>
      threadReport(seat, {
        end: { kind: 'stopped' },
        waitingOn: {
          buffer: 'forks',
          index: (seat + 1) % seats,
          expected: ((seat + 1) % seats) + 1,
          current: ((seat + 1) % seats) + 1,
          timeoutMs: null,
        },
      }),
    ),
    evidence: { status: 'deadlock', wallMs: 131 },
  });
}
