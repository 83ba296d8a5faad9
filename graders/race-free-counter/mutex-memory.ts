/**
 * The shared memory of one race-free-counter run, allocated by the grader. Only `state` is handed
 * to the submission's Mutex; `counter`, `tally` and `signals` are the grader's own and are read back
 * by the host after the run, so a verdict never rests on anything the submission could write.
 *
 * The thread code (in-thread/) cannot import these numbers (it is sent into the isolates as source
 * text), so it repeats them; mutex-memory.spec.ts runs it in process to keep both sides in step.
 */

/** Int32 cells of the Mutex's array: room for several locks at different indexes. */
export const STATE_CELLS = 8;

/**
 * `counter`: c[0] is the count the threads update under the lock; c[16] how many threads are
 * inside the critical section right now; c[32] how many reached the spin barrier. Each on its own
 * 64-byte cache line.
 */
export const COUNTER_SLOTS = { value: 0, inside: 16, arrived: 32 } as const;
export const COUNTER_CELLS = 48;

/** `tally`: one row per thread, a 64-byte cache line each so the rows do not slow each other down. */
export const TALLY_ROW_CELLS = 16;
export const TALLY_SLOTS = {
  /** Rounds finished (lock, update, unlock all returned). */
  rounds: 0,
  /** Where the thread is: one of THREAD_PLACES. */
  place: 1,
  /** Times this thread entered the critical section while another thread was inside. */
  overlaps: 2,
  /** Hold scenario: ms the thread spent in lock() (Date.now captured before the submission loaded). */
  lockMs: 3,
} as const;

export const THREAD_PLACES = {
  notStarted: 0,
  inLock: 1,
  holding: 2,
  inUnlock: 3,
  /** Between rounds, or waiting for another thread's signal. */
  between: 4,
  finished: 5,
} as const;
export type ThreadPlace =
  'not started' | 'in lock()' | 'holding the lock' | 'in unlock()' | 'between rounds' | 'finished';

/** `signals`: grader-to-grader cells between threads of the two-index and hold scenarios. */
export const SIGNAL_CELLS = 8;

export interface ThreadTally {
  rounds: number;
  place: ThreadPlace;
  overlaps: number;
  lockMs: number;
}

export function allocateInts(cells: number): SharedArrayBuffer {
  return new SharedArrayBuffer(cells * Int32Array.BYTES_PER_ELEMENT);
}

export function allocateTally(threads: number): SharedArrayBuffer {
  return allocateInts(threads * TALLY_ROW_CELLS);
}

const PLACE_NAMES: Record<number, ThreadPlace> = {
  [THREAD_PLACES.notStarted]: 'not started',
  [THREAD_PLACES.inLock]: 'in lock()',
  [THREAD_PLACES.holding]: 'holding the lock',
  [THREAD_PLACES.inUnlock]: 'in unlock()',
  [THREAD_PLACES.between]: 'between rounds',
  [THREAD_PLACES.finished]: 'finished',
};

/** Each thread's row of `tally`, read on the host after the run. */
export function readTally(tally: SharedArrayBuffer, threads: number): ThreadTally[] {
  const cells = new Int32Array(tally);
  return Array.from({ length: threads }, (_, thread) => {
    const row = thread * TALLY_ROW_CELLS;
    return {
      rounds: Atomics.load(cells, row + TALLY_SLOTS.rounds),
      place: PLACE_NAMES[Atomics.load(cells, row + TALLY_SLOTS.place)] ?? 'not started',
      overlaps: Atomics.load(cells, row + TALLY_SLOTS.overlaps),
      lockMs: Atomics.load(cells, row + TALLY_SLOTS.lockMs),
    };
  });
}

export function readCounter(counter: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(counter), COUNTER_SLOTS.value);
}
