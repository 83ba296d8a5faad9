/**
 * RUNS INSIDE EACH STUDENT THREAD in a controlled run (sent as source text: no imports, no closure
 * variables; the numbers repeat ../controlled-barrier-memory.ts). Every thread calls wait() for
 * `rounds` rounds on the submission's Barrier over a scheduled view of `state`, so each of the
 * barrier's steps is one the scheduler can pull apart from the others'.
 *
 * The grader's ledger is read and written through plain views: no steps, and exact, since only one
 * thread moves at a time. A thread counts its call of wait() in its own row before it makes it; the
 * moment wait() returns in round r (nothing else has moved since the barrier's last step), every
 * row must show a call for round r, or the thread left before every party had arrived.
 */
import type { ThreadCode, ThreadInfo } from '../../grader-api';

export interface ControlledBarrierShared {
  state: SharedArrayBuffer;
  ledger: SharedArrayBuffer;
  rounds: number;
  index: number;
}

type BarrierClass = {
  new (state: Int32Array, parties: number, index?: number): { wait(): unknown };
  INTS?: unknown;
};

export const controlledBarrierThreadCode: ThreadCode = (tools) => {
  const Int32 = Int32Array;
  const NativeError = Error;
  const isInteger = Number.isInteger;
  const toText = String;
  const ROW = 8;
  const [CALLS, ROUNDS, PLACE, EARLY_ROUND, EARLY_ARRIVED, EARLY_MISSING, ODD_ROUND, ODD_KIND] = [
    0, 1, 2, 3, 4, 5, 6, 7,
  ];
  const [BETWEEN, WAITING, FINISHED] = [1, 2, 3];
  const [UNDEFINED, NULL, NUMBER, STRING, OBJECT, OTHER] = [1, 2, 3, 4, 5, 6];
  // The grader's points in the trace: a call of wait(), and what it returned (arg: the round, from 1).
  const [CALLS_WAIT, RETURNED_TRUE, RETURNED_FALSE, RETURNED_OTHER] = [1, 2, 3, 4];

  const oddKind = (result: unknown) =>
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

  return (exports: Record<string, unknown>, sharedArg: never, thread: ThreadInfo) => {
    const shared = sharedArg as ControlledBarrierShared;
    const ledger = new Int32(shared.ledger);
    const parties = thread.count;
    const row = thread.index * ROW;
    const trues = parties * ROW;
    ledger[row + PLACE] = BETWEEN;
    const Barrier = exports.Barrier as BarrierClass;
    if (typeof Barrier !== 'function')
      throw new NativeError('the file does not export a class named Barrier');
    const ints = Barrier.INTS;
    if (typeof ints !== 'number' || !isInteger(ints) || ints < 1 || ints > 16)
      throw new NativeError('Barrier.INTS must be a whole number of cells from 1 to 16, not ' + toText(ints));
    const barrier = new Barrier(tools.scheduled(new Int32(shared.state)), parties, shared.index);

    for (let round = 0; round < shared.rounds; round++) {
      tools.point(CALLS_WAIT, round + 1);
      ledger[row + CALLS] = round + 1;
      ledger[row + PLACE] = WAITING;
      const result = barrier.wait();
      let arrived = 0;
      let missing = 0;
      for (let other = 0; other < parties; other++) {
        if (ledger[other * ROW + CALLS] > round) arrived++;
        else missing |= 1 << other;
      }
      if (missing !== 0 && ledger[row + EARLY_ROUND] === 0) {
        ledger[row + EARLY_ROUND] = round + 1;
        ledger[row + EARLY_ARRIVED] = arrived;
        ledger[row + EARLY_MISSING] = missing;
      }
      if (result === true) ledger[trues + round]++;
      else if (result !== false && ledger[row + ODD_ROUND] === 0) {
        ledger[row + ODD_ROUND] = round + 1;
        ledger[row + ODD_KIND] = oddKind(result);
      }
      ledger[row + ROUNDS] = round + 1;
      ledger[row + PLACE] = BETWEEN;
      tools.point(
        result === true ? RETURNED_TRUE : result === false ? RETURNED_FALSE : RETURNED_OTHER,
        round + 1,
      );
    }
    ledger[row + PLACE] = FINISHED;
    return null;
  };
};
