/**
 * The shared memory of one controlled barrier run. `state` is the submission's (handed over as a
 * scheduled view); `ledger` is the grader's own, read and written through plain views. The thread
 * code (in-thread/controlled-barrier-thread-code.ts) repeats this layout; the memory spec runs it
 * in process to keep both sides in step.
 */
import {
  ODD_RESULT_CODES,
  PLACE_CODES,
  STATE_CELLS,
  type BarrierThreadLedger,
  type OddResult,
  type ThreadPlace,
} from './barrier-memory';

/** One row per thread, then `trues[r]`: the threads whose wait() returned true in round r. */
export const CONTROLLED_ROW_CELLS = 8;
export const CONTROLLED_SLOTS = {
  /** wait() calls made (counted just before each call). */
  calls: 0,
  /** wait() calls that returned. */
  rounds: 1,
  place: 2,
  /** 1 + the first round (0-based) the thread left before every party had called wait(); 0: none. */
  earlyRound: 3,
  /** How many parties had called wait() in that round when it returned. */
  earlyArrived: 4,
  /** Which had not: bit t for thread index t. */
  earlyMissing: 5,
  oddRound: 6,
  oddKind: 7,
} as const;

/** The grader's `point` codes in the trace; the point's arg is the round, from 1. */
export const POINT_CODES = { callsWait: 1, returnedTrue: 2, returnedFalse: 3, returnedOther: 4 } as const;

export interface ControlledThreadLedger extends BarrierThreadLedger {
  /** The first round (0-based) the thread left early, how many parties had called wait() then, and the indexes of those that had not. */
  early: { round: number; arrived: number; missing: number[] } | null;
}

export interface ControlledBarrierLedger {
  /** How many threads got `true` in each round every thread returned from. */
  truesPerRound: number[];
  threads: ControlledThreadLedger[];
}

export interface ControlledBarrierMemory {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
}

const ints = (cells: number) => new SharedArrayBuffer(cells * Int32Array.BYTES_PER_ELEMENT);

export function allocateControlledBarrier(parties: number, rounds: number): ControlledBarrierMemory {
  return { state: ints(STATE_CELLS), ledger: ints(parties * CONTROLLED_ROW_CELLS + rounds) };
}

const PLACE_NAMES = new Map<number, ThreadPlace>(
  Object.entries(PLACE_CODES).map(([name, code]) => [code, name as ThreadPlace]),
);
const ODD_NAMES = new Map<number, OddResult>(
  Object.entries(ODD_RESULT_CODES).map(([name, code]) => [code, name as OddResult]),
);

function threadsIn(mask: number, parties: number): number[] {
  return Array.from({ length: parties }, (_, thread) => thread).filter((thread) => (mask >>> thread) & 1);
}

export function readControlledBarrierLedger(
  ledger: SharedArrayBuffer,
  parties: number,
): ControlledBarrierLedger {
  const cells = new Int32Array(ledger);
  const s = CONTROLLED_SLOTS;
  const threads = Array.from({ length: parties }, (_, index): ControlledThreadLedger => {
    const cell = (slot: number) => cells[index * CONTROLLED_ROW_CELLS + slot];
    return {
      rounds: cell(s.rounds),
      place: PLACE_NAMES.get(cell(s.place)) ?? 'notStarted',
      early:
        cell(s.earlyRound) === 0
          ? null
          : {
              round: cell(s.earlyRound) - 1,
              arrived: cell(s.earlyArrived),
              missing: threadsIn(cell(s.earlyMissing), parties),
            },
      odd:
        cell(s.oddRound) === 0
          ? null
          : { round: cell(s.oddRound) - 1, kind: ODD_NAMES.get(cell(s.oddKind)) ?? 'other' },
    };
  });
  const everyoneReturned = Math.min(...threads.map((thread) => thread.rounds));
  const trues = parties * CONTROLLED_ROW_CELLS;
  return {
    truesPerRound: Array.from({ length: everyoneReturned }, (_, round) => cells[trues + round]),
    threads,
  };
}
