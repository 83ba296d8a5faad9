/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../barrier-memory.ts). The outer function runs before the
 * submission loads and captures the built-ins the body uses. It decides nothing: every thread calls
 * wait() round after round and leaves in the grader's ledger what it saw.
 *
 * Each thread counts its call in `arrivals` just before it calls wait(); once wait() returns in
 * round r, at least parties * (r + 1) calls must have been counted, or it left round r before
 * every party had arrived.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';
import type { BarrierThreadPlan } from '../barrier-plan';

export interface BarrierShared {
  plan: BarrierThreadPlan;
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  trues: SharedArrayBuffer;
}

type BarrierClass = {
  new (state: Int32Array, parties: number, index?: number): { wait(): unknown };
  INTS?: unknown;
};

export const barrierThreadCode: ThreadCode = () => {
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  const compareExchange = Atomics.compareExchange;
  const wait = Atomics.wait;
  const imul = Math.imul;
  const floor = Math.floor;
  const isInteger = Number.isInteger;
  const toText = String;
  const Int32 = Int32Array;
  const NativeError = Error;
  const HEADER = 48;
  const ROW = 16;
  const [ARRIVALS, STOP_ROUND, INTS_SEEN, PAUSE] = [0, 16, 32, 33];
  const [ROUNDS, PLACE, EARLY_ROUND, EARLY_ARRIVED, ODD_ROUND, ODD_KIND] = [0, 1, 2, 3, 4, 5];
  const [BETWEEN, WAITING, FINISHED] = [1, 2, 3];
  const [UNDEFINED, NULL, NUMBER, STRING, OBJECT, OTHER] = [1, 2, 3, 4, 5, 6];
  // The only real-time parts of this code: the rounds' time budget and the pauses. A controlled
  // scheduler would make each pause a point where another thread may run instead.
  const now = Date.now;

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as BarrierShared;
    const plan = shared.plan;
    const ledger = new Int32(shared.ledger);
    const trues = new Int32(shared.trues);
    const row = HEADER + thread.index * ROW;
    const parties = thread.count;
    const pause = (ms: number) => {
      if (ms > 0) wait(ledger, PAUSE, 0, ms);
    };
    // mulberry32 over this thread's seed: the same pauses on every regrading with the same seed.
    let seed = plan.seeds[thread.index] >>> 0;
    const random = () => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    /** Every thread stops before round `round`: it can only lower the agreed last round. */
    const stopBefore = (round: number) => {
      for (let seen = load(ledger, STOP_ROUND); seen > round; seen = load(ledger, STOP_ROUND))
        if (compareExchange(ledger, STOP_ROUND, seen, round) === seen) return;
    };

    store(ledger, row + PLACE, BETWEEN);
    const Barrier = exports.Barrier as BarrierClass;
    if (typeof Barrier !== 'function')
      throw new NativeError('the file does not export a class named Barrier');
    const ints = Barrier.INTS;
    if (typeof ints !== 'number' || !isInteger(ints) || ints < 1 || ints > 16)
      throw new NativeError('Barrier.INTS must be a whole number of cells from 1 to 16, not ' + toText(ints));
    store(ledger, INTS_SEEN, ints);
    const state = new Int32(shared.state);
    const barrier =
      plan.index === null ? new Barrier(state, parties) : new Barrier(state, parties, plan.index);

    const until = now() + plan.maxMs;
    for (let round = 0; round < load(ledger, STOP_ROUND); round++) {
      // Past the budget, this thread asks everyone to stop after this round. Every other thread is
      // in this round or the one before (no round ends without this thread), so all stop together.
      if (round > 0 && now() > until) stopBefore(round + 1);
      if (round === 0 && thread.index === parties - 1) pause(plan.latecomerMs);
      else if (random() < plan.pauseChance)
        pause(plan.pauseMs.minMs + floor(random() * (plan.pauseMs.maxMs - plan.pauseMs.minMs + 1)));
      store(ledger, row + PLACE, WAITING);
      add(ledger, ARRIVALS, 1);
      const result = barrier.wait();
      const arrived = load(ledger, ARRIVALS) - parties * round;
      if (arrived < parties && load(ledger, row + EARLY_ROUND) === 0) {
        store(ledger, row + EARLY_ROUND, round + 1);
        store(ledger, row + EARLY_ARRIVED, arrived);
      }
      if (result === true) add(trues, round, 1);
      else if (result !== false && load(ledger, row + ODD_ROUND) === 0) {
        const kind =
          result === undefined
            ? UNDEFINED
            : result === null
              ? NULL
              : typeof result === 'number'
                ? NUMBER
                : typeof result === 'string'
                  ? STRING
                  : typeof result === 'object'
                    ? OBJECT
                    : OTHER;
        store(ledger, row + ODD_KIND, kind);
        store(ledger, row + ODD_ROUND, round + 1);
      }
      store(ledger, row + ROUNDS, round + 1);
      store(ledger, row + PLACE, BETWEEN);
    }
    store(ledger, row + PLACE, FINISHED);
    return null;
  };
};
