/**
 * The shared memory of one barrier run, allocated by the grader. Only `state` is handed to the
 * submission's Barrier; `ledger` and `trues` are the grader's own: the host reads them back after
 * the run, so a verdict never rests on anything the submission could write.
 *
 * The thread code (in-thread/) cannot import these numbers (it is sent into the isolates as source
 * text), so it repeats them; barrier-memory.spec.ts runs it in process to keep both sides in step.
 */

/** The most cells one barrier may ask for (Barrier.INTS), and the highest index a barrier is put at. */
export const MAX_INTS = 16;
export const MAX_BARRIER_INDEX = 7;
export const STATE_CELLS = MAX_BARRIER_INDEX + MAX_INTS;

/**
 * `ledger` header: [0] calls of wait() so far, all threads and rounds (a thread counts its call
 * just before it makes it); [16] the round no thread starts (the first thread past the time budget
 * lowers it); [32] Barrier.INTS as the threads read it; [33] a cell nobody sets (the grader's timed
 * sleeps). Then one row per thread.
 */
export const LEDGER_SLOTS = { arrivals: 0, stopRound: 16, intsSeen: 32, pause: 33 } as const;
export const LEDGER_HEADER_CELLS = 48;
export const LEDGER_ROW_CELLS = 16;

export const THREAD_SLOTS = {
  /** wait() calls that returned. */
  rounds: 0,
  /** One of PLACE_CODES. */
  place: 1,
  /** 1 + the first round (0-based) the thread left before every party had arrived; 0: none. */
  earlyRound: 2,
  /** How many parties had arrived in that round when it left. */
  earlyArrived: 3,
  /** 1 + the first round wait() returned something other than true or false; 0: none. */
  oddRound: 4,
  /** One of ODD_RESULT_CODES: what it returned then. */
  oddKind: 5,
} as const;

export const PLACE_CODES = { notStarted: 0, between: 1, waiting: 2, finished: 3 } as const;
export type ThreadPlace = keyof typeof PLACE_CODES;

export const ODD_RESULT_CODES = { undefined: 1, null: 2, number: 3, string: 4, object: 5, other: 6 } as const;
export type OddResult = keyof typeof ODD_RESULT_CODES;

export interface BarrierThreadLedger {
  rounds: number;
  place: ThreadPlace;
  /** The first round (0-based) the thread left early, and how many parties had arrived in it then. */
  early: { round: number; arrived: number } | null;
  /** The first round wait() returned something other than a boolean, and what. */
  odd: { round: number; kind: OddResult } | null;
}

export interface BarrierLedger {
  /** Barrier.INTS as the threads read it; 0 if no thread got that far. */
  ints: number;
  /** How many threads got `true` in each round, for the rounds every thread finished. */
  truesPerRound: number[];
  threads: BarrierThreadLedger[];
}

export interface BarrierRunMemory {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  /** `trues[r]`: threads whose wait() returned true in round r. */
  trues: SharedArrayBuffer;
}

const ints = (cells: number) => new SharedArrayBuffer(cells * Int32Array.BYTES_PER_ELEMENT);

export function allocateBarrierRun(threads: number, rounds: number): BarrierRunMemory {
  const memory = {
    state: ints(STATE_CELLS),
    ledger: ints(LEDGER_HEADER_CELLS + threads * LEDGER_ROW_CELLS),
    trues: ints(rounds),
  };
  Atomics.store(new Int32Array(memory.ledger), LEDGER_SLOTS.stopRound, rounds);
  return memory;
}

const PLACE_NAMES = new Map<number, ThreadPlace>(
  Object.entries(PLACE_CODES).map(([name, code]) => [code, name as ThreadPlace]),
);
const ODD_NAMES = new Map<number, OddResult>(
  Object.entries(ODD_RESULT_CODES).map(([name, code]) => [code, name as OddResult]),
);

export function readBarrierLedger(memory: BarrierRunMemory, threads: number): BarrierLedger {
  const ledger = new Int32Array(memory.ledger);
  const trues = new Int32Array(memory.trues);
  const rows = Array.from({ length: threads }, (_, index): BarrierThreadLedger => {
    const cell = (slot: number) =>
      Atomics.load(ledger, LEDGER_HEADER_CELLS + index * LEDGER_ROW_CELLS + slot);
    const s = THREAD_SLOTS;
    return {
      rounds: cell(s.rounds),
      place: PLACE_NAMES.get(cell(s.place)) ?? 'notStarted',
      early:
        cell(s.earlyRound) === 0 ? null : { round: cell(s.earlyRound) - 1, arrived: cell(s.earlyArrived) },
      odd:
        cell(s.oddRound) === 0
          ? null
          : { round: cell(s.oddRound) - 1, kind: ODD_NAMES.get(cell(s.oddKind)) ?? 'other' },
    };
  });
  const completedRounds = Math.min(...rows.map((row) => row.rounds));
  return {
    ints: Atomics.load(ledger, LEDGER_SLOTS.intsSeen),
    truesPerRound: Array.from({ length: completedRounds }, (_, round) => Atomics.load(trues, round)),
    threads: rows,
  };
}
