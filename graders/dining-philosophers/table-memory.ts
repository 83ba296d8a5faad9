/**
 * The grader's memory for one table. The submission never gets any of it: it sees only the Forks
 * object, the eat() and think() functions of the grader's thread code (in-thread/), which keep
 * this memory up to date. The host reads it back after the run, so every verdict rests on what
 * the grader's own code recorded.
 *
 * The thread code cannot import these numbers (it is sent into the isolates as source text), so it
 * repeats them; table-memory.spec.ts runs it in process to keep both sides in step.
 */

/** `forks[f]`: 0 while fork f is free, p + 1 while philosopher p holds it. */
export const FREE_FORK = 0;

/** `ledger`: a header, then one row per philosopher, each on its own 64-byte cache line. */
export const LEDGER_HEADER_CELLS = 16;
export const LEDGER_ROW_CELLS = 16;
/** A header cell nobody ever sets: the grader's pauses sleep on it with a timeout. */
export const PAUSE_CELL = 0;

export const PHILOSOPHER_CELLS = {
  /** eat() calls. */
  meals: 0,
  /** eat() calls made without holding both of the philosopher's forks. */
  mealsWithoutForks: 1,
  /** The first such meal (1-based), and what `forks` held for its two forks at that moment. */
  badMeal: 2,
  badMealLeftOwner: 3,
  badMealRightOwner: 4,
  /** f + 1 while asleep in acquire(f) because fork f is taken; 0 otherwise. */
  waitingFor: 5,
  /** One of PLACE_CODES. */
  place: 6,
  /** release(f) calls for a fork the philosopher did not hold, the first fork, and its owner then. */
  badReleases: 7,
  badReleaseFork: 8,
  badReleaseOwner: 9,
  /** acquire() or release() calls with no such fork (a RangeError), and the first number given. */
  badForkNumbers: 10,
  badForkNumber: 11,
  /** acquire() calls that returned with the fork. */
  acquires: 12,
} as const;

/** What a fork number that is not even an integer is recorded as. */
export const NOT_A_FORK_NUMBER = -2147483648;

export const PLACE_CODES = {
  notStarted: 0,
  /** In its own code, between the grader's functions. */
  outside: 1,
  acquiring: 2,
  eating: 3,
  thinking: 4,
  releasing: 5,
  returned: 6,
} as const;
export type PhilosopherPlace = keyof typeof PLACE_CODES;

export interface TableMemory {
  forks: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
}

export interface BadMeal {
  /** 1-based. */
  meal: number;
  /** Who held each of its two forks then: a philosopher, or null when the fork was free. */
  leftOwner: number | null;
  rightOwner: number | null;
}

export interface PhilosopherLedger {
  meals: number;
  mealsWithoutForks: number;
  firstBadMeal: BadMeal | null;
  /** The fork it sleeps for in acquire(), or null. */
  waitingFor: number | null;
  place: PhilosopherPlace;
  badReleases: number;
  firstBadRelease: { fork: number; owner: number | null } | null;
  badForkNumbers: number;
  /** The first fork number that does not exist; null when it was not even an integer. */
  firstBadForkNumber: number | null;
  acquires: number;
}

export interface TableReading {
  /** Who holds each fork at the end of the run, or null when it is free. */
  forkOwners: (number | null)[];
  philosophers: PhilosopherLedger[];
}

export function allocateTable(seats: number): TableMemory {
  const ints = (cells: number) => new SharedArrayBuffer(cells * Int32Array.BYTES_PER_ELEMENT);
  return { forks: ints(seats), ledger: ints(LEDGER_HEADER_CELLS + seats * LEDGER_ROW_CELLS) };
}

/** An owner cell (0 free, p + 1 philosopher p) as a philosopher number, or null when free. */
export function ownerOf(cell: number): number | null {
  return cell === FREE_FORK ? null : cell - 1;
}

const PLACE_NAMES = new Map<number, PhilosopherPlace>(
  Object.entries(PLACE_CODES).map(([name, code]) => [code, name as PhilosopherPlace]),
);

export function readTable(memory: TableMemory, seats: number): TableReading {
  const forks = new Int32Array(memory.forks);
  const ledger = new Int32Array(memory.ledger);
  const philosophers = Array.from({ length: seats }, (_, seat): PhilosopherLedger => {
    const cell = (offset: number) =>
      Atomics.load(ledger, LEDGER_HEADER_CELLS + seat * LEDGER_ROW_CELLS + offset);
    const c = PHILOSOPHER_CELLS;
    const waitingFor = cell(c.waitingFor);
    const badForkNumber = cell(c.badForkNumber);
    return {
      meals: cell(c.meals),
      mealsWithoutForks: cell(c.mealsWithoutForks),
      firstBadMeal:
        cell(c.mealsWithoutForks) > 0
          ? {
              meal: cell(c.badMeal),
              leftOwner: ownerOf(cell(c.badMealLeftOwner)),
              rightOwner: ownerOf(cell(c.badMealRightOwner)),
            }
          : null,
      waitingFor: waitingFor === 0 ? null : waitingFor - 1,
      place: PLACE_NAMES.get(cell(c.place)) ?? 'notStarted',
      badReleases: cell(c.badReleases),
      firstBadRelease:
        cell(c.badReleases) > 0
          ? { fork: cell(c.badReleaseFork), owner: ownerOf(cell(c.badReleaseOwner)) }
          : null,
      badForkNumbers: cell(c.badForkNumbers),
      firstBadForkNumber: badForkNumber === NOT_A_FORK_NUMBER ? null : badForkNumber,
      acquires: cell(c.acquires),
    };
  });
  return {
    forkOwners: Array.from({ length: seats }, (_, fork) => ownerOf(Atomics.load(forks, fork))),
    philosophers,
  };
}
