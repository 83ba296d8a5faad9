/**
 * RUNS INSIDE EACH PHILOSOPHER'S THREAD, beside the submission (sent as source text: no imports,
 * no closure variables; the numbers repeat ../table-memory.ts). The outer function runs before the
 * submission loads and captures the built-ins the body uses.
 *
 * It is the grader's side of the table: the Forks object (each fork's owner lives in `forks`, which
 * only this code writes), eat() and think(). It decides nothing; it records in `ledger` what the
 * philosopher did, and the host judges that after the run.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';
import type { TableThreadPlan } from '../table-plan';

export interface TableShared {
  plan: TableThreadPlan;
  forks: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
}

type Philosopher = (
  seat: number,
  seats: number,
  forks: { acquire(fork: number): void; release(fork: number): void },
  meals: number,
  eat: () => void,
  think: () => void,
) => unknown;

export const tableThreadCode: ThreadCode = () => {
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  const compareExchange = Atomics.compareExchange;
  // The wrapped, measured Atomics.wait: the deadlock watchdog sees a philosopher asleep on forks[f].
  const wait = Atomics.wait;
  const notify = Atomics.notify;
  const imul = Math.imul;
  const floor = Math.floor;
  const freeze = Object.freeze;
  const isInteger = Number.isInteger;
  const toText = String;
  const Int32 = Int32Array;
  const NativeError = Error;
  const NativeRangeError = RangeError;
  const HEADER = 16;
  const ROW = 16;
  const PAUSE = 0;
  const [MEALS, BAD_MEALS, BAD_MEAL, BAD_LEFT, BAD_RIGHT, WAITING_FOR, PLACE] = [0, 1, 2, 3, 4, 5, 6];
  const [BAD_RELEASES, BAD_RELEASE_FORK, BAD_RELEASE_OWNER, BAD_NUMBERS, BAD_NUMBER, ACQUIRES] = [
    7, 8, 9, 10, 11, 12,
  ];
  const [OUTSIDE, ACQUIRING, EATING, THINKING, RELEASING, RETURNED] = [1, 2, 3, 4, 5, 6];
  const NOT_A_NUMBER = -2147483648;

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as TableShared;
    const { seats, meals, pauses } = shared.plan;
    const seat = thread.index;
    const me = seat + 1;
    const forks = new Int32(shared.forks);
    const ledger = new Int32(shared.ledger);
    const row = HEADER + seat * ROW;

    // mulberry32 over this seat's seed: the same pauses on every regrading with the same seed.
    let seed = shared.plan.seeds[seat] >>> 0;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const draw = (range: { minMs: number; maxMs: number }) =>
      range.minMs + floor(random() * (range.maxMs - range.minMs + 1));
    // The only real-time part of this code: a timed sleep on a cell nobody sets. A controlled
    // scheduler would make it a point where another thread may run instead.
    const pause = (ms: number) => {
      if (ms > 0) wait(ledger, PAUSE, 0, ms);
    };

    const checkFork = (call: string, fork: unknown) => {
      if (typeof fork === 'number' && isInteger(fork) && fork >= 0 && fork < seats) return fork;
      if (add(ledger, row + BAD_NUMBERS, 1) === 0)
        store(
          ledger,
          row + BAD_NUMBER,
          typeof fork === 'number' && isInteger(fork) ? fork | 0 : NOT_A_NUMBER,
        );
      const shown = typeof fork === 'number' ? toText(fork) : 'a ' + typeof fork;
      throw new NativeRangeError(
        call + '(' + shown + '): there is no such fork; the forks are numbered 0 to ' + toText(seats - 1),
      );
    };

    // Each philosopher's first fork is held a little longer: all threads start together, so every
    // philosopher has its first fork before any asks for its second, and a cycle closes if it can.
    let firstGrab = true;
    const acquire = (forkArg: number) => {
      const fork = checkFork('acquire', forkArg);
      store(ledger, row + PLACE, ACQUIRING);
      for (let owner = compareExchange(forks, fork, 0, me); owner !== 0;) {
        store(ledger, row + WAITING_FOR, fork + 1);
        wait(forks, fork, owner);
        owner = compareExchange(forks, fork, 0, me);
      }
      store(ledger, row + WAITING_FOR, 0);
      add(ledger, row + ACQUIRES, 1);
      pause(draw(firstGrab ? pauses.firstGrab : pauses.acquire));
      firstGrab = false;
      store(ledger, row + PLACE, OUTSIDE);
    };

    const release = (forkArg: number) => {
      const fork = checkFork('release', forkArg);
      store(ledger, row + PLACE, RELEASING);
      // Only the holder changes a held fork, so reading it and then freeing it is not a race.
      const owner = load(forks, fork);
      if (owner !== me) {
        if (add(ledger, row + BAD_RELEASES, 1) === 0) {
          store(ledger, row + BAD_RELEASE_FORK, fork);
          store(ledger, row + BAD_RELEASE_OWNER, owner);
        }
        const holder = owner === 0 ? 'nobody holds it' : 'philosopher ' + toText(owner - 1) + ' holds it';
        throw new NativeError(
          'release(' +
            toText(fork) +
            '): philosopher ' +
            toText(seat) +
            ' does not hold fork ' +
            toText(fork) +
            ' (' +
            holder +
            ')',
        );
      }
      store(forks, fork, 0);
      notify(forks, fork);
      store(ledger, row + PLACE, OUTSIDE);
    };

    const eat = () => {
      store(ledger, row + PLACE, EATING);
      const left = load(forks, seat);
      const right = load(forks, (seat + 1) % seats);
      const meal = add(ledger, row + MEALS, 1) + 1;
      if ((left !== me || right !== me) && add(ledger, row + BAD_MEALS, 1) === 0) {
        store(ledger, row + BAD_MEAL, meal);
        store(ledger, row + BAD_LEFT, left);
        store(ledger, row + BAD_RIGHT, right);
      }
      pause(draw(pauses.eat));
      store(ledger, row + PLACE, OUTSIDE);
    };

    const think = () => {
      store(ledger, row + PLACE, THINKING);
      pause(draw(pauses.think));
      store(ledger, row + PLACE, OUTSIDE);
    };

    const philosopher = exports.philosopher as Philosopher;
    if (typeof philosopher !== 'function')
      throw new NativeError('the file does not export a function named philosopher');
    store(ledger, row + PLACE, OUTSIDE);
    philosopher(seat, seats, freeze({ acquire, release }), meals, eat, think);
    store(ledger, row + PLACE, RETURNED);
    return null;
  };
};
