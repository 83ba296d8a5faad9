/**
 * The shared memory of one controlled reentrant-lock run (in-thread/controlled-rounds-thread-code.ts).
 * The submission gets `state` and nothing else; `counter` is the grader's, handed to the grader's
 * own update() as a scheduled view, so its read and write are steps the scheduler can pull apart;
 * `ledger` is read and written through plain views (no steps: one thread moves at a time, so it is
 * exact) and read back by the host. The thread code repeats these numbers (it is sent as source
 * text); controlled-memory.spec.ts runs it in workers to keep both sides in step.
 */
import { MAX_INTS, PLACE_CODES, STATE_CELLS, type ThreadPlace } from './lock-memory';

/** ledger header: [0] threads inside now, [1] 1 + index of the last thread that went in, [2] stop: no more rounds, [3] INTS as read. */
export const CONTROLLED_HEADER = { inside: 0, holder: 1, stop: 2, intsSeen: 3 } as const;
export const CONTROLLED_HEADER_CELLS = 8;
export const CONTROLLED_ROW_CELLS = 16 + 2 * MAX_INTS;

export const CONTROLLED_SLOTS = {
  rounds: 0,
  /** One of PLACE_CODES; a release() without holding the lock is `releasing` at depth 0. */
  place: 1,
  /** Its acquire() calls that returned minus its release() calls that returned. */
  depth: 2,
  /** How deep its current (or last) round nests. */
  roundDepth: 3,
  /** Updates of the counter it made while it held the lock. */
  updates: 4,
  /** When one of its acquire() calls returned while another thread was inside: 1 + that thread's index, and how deep it held the lock. */
  overlapWith: 5,
  overlapDepth: 6,
  /** How deep that thread's round went, and how many of its levels it had released then (0: on its way in). */
  overlapRoundDepth: 10,
  overlapReleased: 11,
  /** Its release() calls that returned in its current round. */
  roundReleases: 12,
  /** Its release() without holding the lock: 0 not tried, 1 it threw, 2 it returned. */
  unheldRelease: 7,
  /** Who held the lock (1 + index, 0 nobody) and how deep, when it called that release(). */
  unheldHolder: 8,
  unheldHolderDepth: 9,
  /** The lock's INTS cells just before that release() and just after it returned or threw. */
  before: 16,
  after: 16 + MAX_INTS,
} as const;

/** The grader's labelled steps (tools.point), named in traces by controlled-wording.ts. */
export const CONTROLLED_POINTS = {
  callsAcquire: 1,
  acquired: 2,
  callsRelease: 3,
  released: 4,
  callsUnheldRelease: 5,
  unheldThrew: 6,
  unheldReturned: 7,
  /** arg: the index of the thread that was already inside. */
  overlap: 8,
} as const;

export interface ControlledRoundsShared {
  state: SharedArrayBuffer;
  counter: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  /** null: the lock is built without an index (the default, 0). */
  lockIndex: number | null;
  rounds: number;
  maxDepth: number;
  /** Shifts which round nests how deep, and which round holds the release() without holding: one run from the next. */
  offset: number;
  /** Whether each thread calls release() once without holding the lock. */
  unheldReleases: boolean;
}

export interface ControlledThreadLedger {
  rounds: number;
  place: ThreadPlace;
  depth: number;
  roundDepth: number;
  updates: number;
  /**
   * The thread that was inside when one of this thread's acquire() calls returned: how deep it held
   * the lock, how deep its round went and how many levels it had released; null if none was inside.
   */
  overlap: { thread: number; depth: number; roundDepth: number; released: number } | null;
  unheldRelease: 'not-tried' | 'threw' | 'returned';
  /** Who held the lock when it called that release(); null: nobody. */
  unheldHolder: { thread: number; depth: number } | null;
  before: number[];
  after: number[];
}

export interface ControlledLedger {
  counter: number;
  /** ReentrantLock.INTS as the threads read it; 0 if no thread got that far. */
  ints: number;
  threads: ControlledThreadLedger[];
}

const ints = (cells: number) => new SharedArrayBuffer(cells * Int32Array.BYTES_PER_ELEMENT);

export function allocateControlledRun(
  threads: number,
  settings: Omit<ControlledRoundsShared, 'state' | 'counter' | 'ledger'>,
): ControlledRoundsShared {
  return {
    state: ints(STATE_CELLS),
    counter: ints(1),
    ledger: ints(CONTROLLED_HEADER_CELLS + threads * CONTROLLED_ROW_CELLS),
    ...settings,
  };
}

const PLACE_NAMES = new Map<number, ThreadPlace>(
  Object.entries(PLACE_CODES).map(([name, code]) => [code, name as ThreadPlace]),
);
const UNHELD_NAMES = ['not-tried', 'threw', 'returned'] as const;

export function readControlledLedger(shared: ControlledRoundsShared, threads: number): ControlledLedger {
  const ledger = new Int32Array(shared.ledger);
  const intsSeen = ledger[CONTROLLED_HEADER.intsSeen];
  const cells = Math.min(Math.max(intsSeen, 0), MAX_INTS);
  return {
    counter: new Int32Array(shared.counter)[0],
    ints: intsSeen,
    threads: Array.from({ length: threads }, (_, index) => {
      const row = CONTROLLED_HEADER_CELLS + index * CONTROLLED_ROW_CELLS;
      const cell = (slot: number) => ledger[row + slot];
      const s = CONTROLLED_SLOTS;
      const who = (slot: number, depthSlot: number) =>
        cell(slot) === 0 ? null : { thread: cell(slot) - 1, depth: cell(depthSlot) };
      return {
        rounds: cell(s.rounds),
        place: PLACE_NAMES.get(cell(s.place)) ?? 'notStarted',
        depth: cell(s.depth),
        roundDepth: cell(s.roundDepth),
        updates: cell(s.updates),
        overlap:
          cell(s.overlapWith) === 0
            ? null
            : {
                ...who(s.overlapWith, s.overlapDepth)!,
                roundDepth: cell(s.overlapRoundDepth),
                released: cell(s.overlapReleased),
              },
        unheldRelease: UNHELD_NAMES[cell(s.unheldRelease)] ?? 'not-tried',
        unheldHolder: who(s.unheldHolder, s.unheldHolderDepth),
        before: Array.from(ledger.subarray(row + s.before, row + s.before + cells)),
        after: Array.from(ledger.subarray(row + s.after, row + s.after + cells)),
      };
    }),
  };
}
