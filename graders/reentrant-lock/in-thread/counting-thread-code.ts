/**
 * RUNS INSIDE EACH STUDENT THREAD, beside the submission (sent as source text: no imports, no
 * closure variables; the numbers repeat ../lock-memory.ts). The outer function runs before the
 * submission loads and captures the built-ins the body uses. It decides nothing: it does the
 * rounds and leaves what happened in the grader's own ledger.
 *
 * Each round nests acquire() 1 to `maxDepth` deep, updates the grader's counter at every level on
 * the way in and on the way out, and counts the threads inside: while a thread holds the lock at
 * any level, no other thread's acquire() may return.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface CountingShared {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  /** null: the lock is built without an index (the default, 0). */
  lockIndex: number | null;
  rounds: number;
  maxDepth: number;
  /** Each thread stops starting rounds this long after its first one, so a fair but slow lock ends in time. */
  maxMs: number;
}

type LockClass = {
  new (state: Int32Array, index?: number): { acquire(): void; release(): void };
  INTS?: unknown;
};

export const countingThreadCode: ThreadCode = () => {
  const load = Atomics.load;
  const store = Atomics.store;
  const add = Atomics.add;
  const sub = Atomics.sub;
  const isInteger = Number.isInteger;
  const toText = String;
  const Int32 = Int32Array;
  const NativeError = Error;
  const HEADER = 64;
  const ROW = 16;
  const [VALUE, INSIDE, ARRIVED, INTS_SEEN] = [0, 16, 32, 48];
  const [ROUNDS, PLACE, DEPTH, ACQUIRES, RELEASES, OVERLAPS, UPDATES] = [0, 1, 2, 3, 4, 5, 7];
  const [ACQUIRING, HOLDING, RELEASING, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  // The only real-time part of this code: the time budget of the rounds and the start spin.
  const now = Date.now;

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as CountingShared;
    const ledger = new Int32(shared.ledger);
    const row = HEADER + thread.index * ROW;
    // A short spinning barrier on top of the runtime's sleeping one: threads woken from a wait start
    // milliseconds apart. Bounded, so that on a busy host spinners do not keep the late ones from a core.
    add(ledger, ARRIVED, 1);
    const giveUpAt = now() + 5;
    while (load(ledger, ARRIVED) < thread.count && now() < giveUpAt) {
      // spin
    }
    store(ledger, row + PLACE, BETWEEN);
    const Lock = exports.ReentrantLock as LockClass;
    if (typeof Lock !== 'function')
      throw new NativeError('the file does not export a class named ReentrantLock');
    const ints = Lock.INTS;
    if (typeof ints !== 'number' || !isInteger(ints) || ints < 1 || ints > 16)
      throw new NativeError(
        'ReentrantLock.INTS must be a whole number of cells from 1 to 16, not ' + toText(ints),
      );
    store(ledger, INTS_SEEN, ints);
    const state = new Int32(shared.state);
    const lock = shared.lockIndex === null ? new Lock(state) : new Lock(state, shared.lockIndex);

    const acquire = () => {
      store(ledger, row + PLACE, ACQUIRING);
      lock.acquire();
      add(ledger, row + ACQUIRES, 1);
      store(ledger, row + DEPTH, load(ledger, row + DEPTH) + 1);
      store(ledger, row + PLACE, HOLDING);
    };
    const release = () => {
      store(ledger, row + PLACE, RELEASING);
      lock.release();
      add(ledger, row + RELEASES, 1);
      const depth = load(ledger, row + DEPTH) - 1;
      store(ledger, row + DEPTH, depth);
      store(ledger, row + PLACE, depth > 0 ? HOLDING : BETWEEN);
    };
    // Two threads inside show as a lost update, or as INSIDE above 1 at some level.
    const update = () => {
      if (load(ledger, INSIDE) !== 1) add(ledger, row + OVERLAPS, 1);
      const v = ledger[VALUE];
      ledger[VALUE] = v + 1;
      ledger[row + UPDATES]++;
    };

    const until = now() + shared.maxMs;
    for (let round = 0; round < shared.rounds; round++) {
      if ((round & 7) === 0 && now() > until) break;
      const deep = 1 + ((round + thread.index) % shared.maxDepth);
      for (let level = 1; level <= deep; level++) {
        acquire();
        if (level === 1 && add(ledger, INSIDE, 1) !== 0) add(ledger, row + OVERLAPS, 1);
        update();
      }
      for (let level = deep; level > 1; level--) {
        release();
        update();
      }
      sub(ledger, INSIDE, 1);
      release();
      store(ledger, row + ROUNDS, round + 1);
    }
    store(ledger, row + PLACE, FINISHED);
    return null;
  };
};
