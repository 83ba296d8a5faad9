/**
 * RUNS INSIDE EACH STUDENT THREAD in a controlled run (sent as source text: no imports, no closure
 * variables; the numbers repeat ../controlled-memory.ts). Each round nests acquire() 1 to maxDepth
 * deep and updates the grader's counter at every level on the way in and out (v = c[0]; c[0] = v + 1,
 * two steps the scheduler can pull apart). With `unheldReleases`, each thread also calls release()
 * once while it holds nothing, at the start of one of its rounds, whatever the others are doing then.
 *
 * The grader's ledger is written through plain views: no steps, and exact, since only one thread
 * moves at a time. Right after acquire() returns nothing else has moved, so "another thread is
 * inside" is a fact then. A thread counts itself out just before its last release() takes its
 * first step: a thread let in during that release() is not counted, which can hide an overlap,
 * never invent one. Labelled points (tools.point) put the calls in the trace.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';
import type { ControlledRoundsShared } from '../controlled-memory';

type LockClass = {
  new (state: Int32Array, index?: number): { acquire(): void; release(): void };
  INTS?: unknown;
};

export const controlledRoundsThreadCode: ThreadCode = (tools) => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const isInteger = Number.isInteger;
  const toText = String;
  const [INSIDE, HOLDER, STOP, INTS_SEEN] = [0, 1, 2, 3];
  const [HEADER, ROW] = [8, 48];
  const [ROUNDS, PLACE, DEPTH, ROUND_DEPTH, UPDATES, OVERLAP_WITH, OVERLAP_DEPTH] = [0, 1, 2, 3, 4, 5, 6];
  const [UNHELD, UNHELD_HOLDER, UNHELD_HOLDER_DEPTH, BEFORE, AFTER] = [7, 8, 9, 16, 32];
  const [OVERLAP_ROUND_DEPTH, OVERLAP_RELEASED, ROUND_RELEASES] = [10, 11, 12];
  const [ACQUIRING, HOLDING, RELEASING, BETWEEN, FINISHED] = [1, 2, 3, 4, 5];
  const [THREW, RETURNED] = [1, 2];
  const [CALLS_ACQUIRE, ACQUIRED, CALLS_RELEASE, RELEASED] = [1, 2, 3, 4];
  const [CALLS_UNHELD, UNHELD_THREW, UNHELD_RETURNED, OVERLAP] = [5, 6, 7, 8];

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as ControlledRoundsShared;
    const ledger = new Int32(shared.ledger);
    const row = HEADER + thread.index * ROW;
    const me = thread.index + 1;
    const plainState = new Int32(shared.state);
    const c = tools.scheduled(new Int32(shared.counter));
    ledger[row + PLACE] = BETWEEN;
    const Lock = exports.ReentrantLock as LockClass;
    if (typeof Lock !== 'function')
      throw new NativeError('the file does not export a class named ReentrantLock');
    const ints = Lock.INTS;
    if (typeof ints !== 'number' || !isInteger(ints) || ints < 1 || ints > 16)
      throw new NativeError(
        'ReentrantLock.INTS must be a whole number of cells from 1 to 16, not ' + toText(ints),
      );
    ledger[INTS_SEEN] = ints;
    const first = shared.lockIndex ?? 0;
    const state = tools.scheduled(new Int32(shared.state));
    const lock = shared.lockIndex === null ? new Lock(state) : new Lock(state, shared.lockIndex);

    const acquire = () => {
      const held = ledger[row + DEPTH];
      ledger[row + PLACE] = ACQUIRING;
      tools.point(CALLS_ACQUIRE, held);
      lock.acquire();
      // Another thread inside now, this acquire() having let this thread in: who, how deep, how far out.
      const other = held === 0 && ledger[INSIDE] > 0 ? ledger[HOLDER] : 0;
      if (other !== 0) {
        const theirs = HEADER + (other - 1) * ROW;
        ledger[row + OVERLAP_WITH] = other;
        ledger[row + OVERLAP_DEPTH] = ledger[theirs + DEPTH];
        ledger[row + OVERLAP_ROUND_DEPTH] = ledger[theirs + ROUND_DEPTH];
        ledger[row + OVERLAP_RELEASED] = ledger[theirs + ROUND_RELEASES];
        ledger[STOP] = 1;
      }
      if (held === 0) {
        ledger[INSIDE]++;
        ledger[HOLDER] = me;
      }
      ledger[row + DEPTH] = held + 1;
      ledger[row + PLACE] = HOLDING;
      tools.point(ACQUIRED, held + 1);
      if (other !== 0) tools.point(OVERLAP, other - 1);
    };
    const release = () => {
      const held = ledger[row + DEPTH];
      ledger[row + PLACE] = RELEASING;
      tools.point(CALLS_RELEASE, held);
      if (held === 1) {
        ledger[INSIDE]--;
        if (ledger[HOLDER] === me) ledger[HOLDER] = 0;
      }
      lock.release();
      ledger[row + ROUND_RELEASES]++;
      ledger[row + DEPTH] = held - 1;
      ledger[row + PLACE] = held > 1 ? HOLDING : BETWEEN;
      tools.point(RELEASED, held - 1);
    };
    const update = () => {
      const v = c[0];
      c[0] = v + 1;
      ledger[row + UPDATES]++;
    };
    /** release() while holding nothing: it must throw, and leave the lock's cells as they were. */
    const releaseUnheld = () => {
      ledger[row + PLACE] = RELEASING;
      tools.point(CALLS_UNHELD, 0);
      const holder = ledger[HOLDER];
      ledger[row + UNHELD_HOLDER] = holder;
      ledger[row + UNHELD_HOLDER_DEPTH] = holder === 0 ? 0 : ledger[HEADER + (holder - 1) * ROW + DEPTH];
      for (let cell = 0; cell < ints; cell++) ledger[row + BEFORE + cell] = plainState[first + cell];
      let outcome = RETURNED;
      try {
        lock.release();
      } catch {
        outcome = THREW;
      }
      let changed = false;
      for (let cell = 0; cell < ints; cell++) {
        ledger[row + AFTER + cell] = plainState[first + cell];
        if (ledger[row + AFTER + cell] !== ledger[row + BEFORE + cell]) changed = true;
      }
      ledger[row + UNHELD] = outcome;
      // It returned, or the cells changed while it ran (by it, or by another thread meanwhile: the
      // judge tells which from the trace). No thread starts another round: the trace keeps the call.
      if (outcome === RETURNED || changed) ledger[STOP] = 1;
      ledger[row + PLACE] = BETWEEN;
      tools.point(outcome === THREW ? UNHELD_THREW : UNHELD_RETURNED, 0);
    };

    const unheldRound = shared.unheldReleases ? (shared.offset + thread.index) % shared.rounds : -1;
    for (let round = 0; round < shared.rounds && ledger[STOP] === 0; round++) {
      if (round === unheldRound) {
        releaseUnheld();
        if (ledger[STOP] !== 0) break;
      }
      const deep = 1 + ((round + thread.index + shared.offset) % shared.maxDepth);
      ledger[row + ROUND_DEPTH] = deep;
      ledger[row + ROUND_RELEASES] = 0;
      for (let level = 1; level <= deep; level++) {
        acquire();
        update();
      }
      for (let level = deep; level > 1; level--) {
        release();
        update();
      }
      release();
      ledger[row + ROUNDS] = round + 1;
    }
    ledger[row + PLACE] = FINISHED;
    return null;
  };
};
