/**
 * The shared memory of one reentrant-lock run, allocated by the grader. Only `state` is handed to
 * the submission's ReentrantLock; `ledger` and `signals` are the grader's own: the host reads them
 * back after the run, so a verdict never rests on anything the submission could write.
 *
 * The thread code (in-thread/) cannot import these numbers (it is sent into the isolates as source
 * text), so it repeats them; lock-memory.spec.ts runs it in process to keep both sides in step.
 */

/** The most cells one lock may ask for (ReentrantLock.INTS), and the highest index a lock is put at. */
export const MAX_INTS = 16;
export const MAX_LOCK_INDEX = 7;
/** Room for two locks side by side at any index the grader uses. */
export const STATE_CELLS = MAX_LOCK_INDEX + 2 * MAX_INTS;

/**
 * `ledger` header: [0] the counter threads update while they hold the lock; [16] how many threads
 * are inside right now; [32] how many reached the start spin; [48] ReentrantLock.INTS as the
 * threads read it; [49] a cell nobody sets (the grader's timed sleeps). Then one row per thread.
 */
export const LEDGER_SLOTS = { value: 0, inside: 16, arrived: 32, intsSeen: 48, pause: 49 } as const;
export const LEDGER_HEADER_CELLS = 64;
export const LEDGER_ROW_CELLS = 16;

export const THREAD_SLOTS = {
  /** Rounds (or nesting cycles) finished. */
  rounds: 0,
  /** One of PLACE_CODES. */
  place: 1,
  /** How deep the thread holds the lock now: its acquire() calls that returned minus its release() calls that returned. */
  depth: 2,
  acquires: 3,
  releases: 4,
  /** Times an acquire() returned, or a nesting level went on, while another thread was inside. */
  overlaps: 5,
  /** Hold runs: ms the thread spent in its first acquire(). */
  lockMs: 6,
  /** Counter updates the thread made while it held the lock. */
  updates: 7,
  /** release() by a thread that does not hold the lock: 0 not tried, 1 it threw, 2 it returned. */
  badRelease: 8,
  /** 1 + the index in `state` of the first cell that bad release changed (0: none), its value before and after. */
  changedCell: 9,
  changedFrom: 10,
  changedTo: 11,
} as const;

export const PLACE_CODES = {
  notStarted: 0,
  acquiring: 1,
  holding: 2,
  releasing: 3,
  /** Outside acquire() and release(), holding nothing: between rounds, or waiting for another thread's signal. */
  between: 4,
  finished: 5,
} as const;
export type ThreadPlace = keyof typeof PLACE_CODES;

/** `signals`: grader-to-grader cells between the threads of one run. */
export const SIGNAL_CELLS = 8;

export interface LockThreadLedger {
  rounds: number;
  place: ThreadPlace;
  depth: number;
  acquires: number;
  releases: number;
  overlaps: number;
  lockMs: number;
  updates: number;
  badRelease: 'not-tried' | 'threw' | 'returned';
  /** The first cell of `state` a release() by a non-holder changed; null when it changed nothing. */
  changed: { cell: number; from: number; to: number } | null;
}

export interface LockLedger {
  counter: number;
  /** ReentrantLock.INTS as the threads read it; 0 if no thread got that far. */
  ints: number;
  threads: LockThreadLedger[];
}

export interface LockRunMemory {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  signals: SharedArrayBuffer;
}

const ints = (cells: number) => new SharedArrayBuffer(cells * Int32Array.BYTES_PER_ELEMENT);

export function allocateLockRun(threads: number): LockRunMemory {
  return {
    state: ints(STATE_CELLS),
    ledger: ints(LEDGER_HEADER_CELLS + threads * LEDGER_ROW_CELLS),
    signals: ints(SIGNAL_CELLS),
  };
}

const PLACE_NAMES = new Map<number, ThreadPlace>(
  Object.entries(PLACE_CODES).map(([name, code]) => [code, name as ThreadPlace]),
);
const BAD_RELEASE_NAMES = ['not-tried', 'threw', 'returned'] as const;

export function readLockLedger(memory: LockRunMemory, threads: number): LockLedger {
  const ledger = new Int32Array(memory.ledger);
  const at = (cell: number) => Atomics.load(ledger, cell);
  return {
    counter: at(LEDGER_SLOTS.value),
    ints: at(LEDGER_SLOTS.intsSeen),
    threads: Array.from({ length: threads }, (_, index) => {
      const row = LEDGER_HEADER_CELLS + index * LEDGER_ROW_CELLS;
      const cell = (slot: number) => at(row + slot);
      const s = THREAD_SLOTS;
      const changedCell = cell(s.changedCell);
      return {
        rounds: cell(s.rounds),
        place: PLACE_NAMES.get(cell(s.place)) ?? 'notStarted',
        depth: cell(s.depth),
        acquires: cell(s.acquires),
        releases: cell(s.releases),
        overlaps: cell(s.overlaps),
        lockMs: cell(s.lockMs),
        updates: cell(s.updates),
        badRelease: BAD_RELEASE_NAMES[cell(s.badRelease)] ?? 'not-tried',
        changed:
          changedCell === 0
            ? null
            : { cell: changedCell - 1, from: cell(s.changedFrom), to: cell(s.changedTo) },
      };
    }),
  };
}
