import type { ThreadTools } from '../grader-api';
import { REAL_RUN_TOOLS } from '../lib/testing/real-run-tools';
import { runThreadCodeInWorkers } from '../lib/testing/thread-code-in-workers';
import {
  allocateControlledBarrier,
  POINT_CODES,
  readControlledBarrierLedger,
} from './controlled-barrier-memory';
import { controlledBarrierThreadCode } from './in-thread/controlled-barrier-thread-code';

/**
 * The controlled thread code repeats the ledger layout and the point codes of
 * controlled-barrier-memory.ts (it cannot import them). These specs run it outside the sandbox, with
 * stand-in barriers, and read the result back with the host's reader: both sides must agree.
 */
type Body = (
  exports: Record<string, unknown>,
  shared: unknown,
  thread: { index: number; threadId: number; count: number },
) => unknown;

/** Runs the thread code in this process, one whole thread after another, and records its points. */
function oneThreadAfterAnother(Barrier: unknown, parties: number, rounds: number) {
  const memory = allocateControlledBarrier(parties, rounds);
  const points: [number, number, number][] = [];
  const body = controlledBarrierThreadCode({
    ...REAL_RUN_TOOLS,
    point: (code, arg = 0) => points.push([points.length, code, arg]),
  } as ThreadTools) as unknown as Body;
  for (let index = 0; index < parties; index++)
    body({ Barrier }, { ...memory, rounds, index: 2 }, { index, threadId: index + 1, count: parties });
  return { ledger: readControlledBarrierLedger(memory.ledger, parties), points: points.map(([, ...p]) => p) };
}

/** wait() returns at once: true in thread 1, the round number (not a boolean) in the others. */
function noWaiting(parties: number) {
  let made = 0;
  return class {
    static INTS = 1;
    private readonly first = made++ === 0;
    private round = 0;
    constructor(
      readonly state: Int32Array,
      readonly count: number,
      readonly index: number,
    ) {
      expect([count, index]).toEqual([parties, 2]);
    }
    wait() {
      this.round++;
      return this.first ? true : this.round;
    }
  };
}

describe('barrier controlled thread code, ledger and host reader together', () => {
  it('records who had not called wait() yet when a thread left, what wait() returned, and the trues per round', () => {
    const { ledger } = oneThreadAfterAnother(noWaiting(3), 3, 2);
    expect(ledger.threads).toEqual([
      { rounds: 2, place: 'finished', early: { round: 0, arrived: 1, missing: [1, 2] }, odd: null },
      {
        rounds: 2,
        place: 'finished',
        early: { round: 0, arrived: 2, missing: [2] },
        odd: { round: 0, kind: 'number' },
      },
      { rounds: 2, place: 'finished', early: null, odd: { round: 0, kind: 'number' } },
    ]);
    expect(ledger.truesPerRound).toEqual([1, 1]);
  });

  it('marks each call of wait() and each return with the point codes the trace wording reads', () => {
    const { points } = oneThreadAfterAnother(noWaiting(2), 2, 2);
    const { callsWait, returnedTrue, returnedOther } = POINT_CODES;
    expect(points).toEqual([
      [callsWait, 1],
      [returnedTrue, 1],
      [callsWait, 2],
      [returnedTrue, 2],
      [callsWait, 1],
      [returnedOther, 1],
      [callsWait, 2],
      [returnedOther, 2],
    ]);
  });

  it('records a correct barrier on real threads: every round, one true each, nobody early', async () => {
    const source = `
      class Barrier {
        static INTS = 2;
        constructor(state, parties, index = 0) { this.state = state; this.parties = parties; this.index = index; }
        wait() {
          const { state, parties, index } = this;
          const round = Atomics.load(state, index + 1);
          if (Atomics.add(state, index, 1) + 1 === parties) {
            Atomics.store(state, index, 0);
            Atomics.add(state, index + 1, 1);
            Atomics.notify(state, index + 1);
            return true;
          }
          while (Atomics.load(state, index + 1) === round) Atomics.wait(state, index + 1, round);
          return false;
        }
      }
      const submission = { Barrier };`;
    const memory = allocateControlledBarrier(3, 50);
    const ends = await runThreadCodeInWorkers(
      controlledBarrierThreadCode,
      source,
      { ...memory, rounds: 50, index: 5 },
      3,
    );
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned', 'returned']);
    const ledger = readControlledBarrierLedger(memory.ledger, 3);
    expect(ledger.threads).toEqual(
      Array.from({ length: 3 }, () => ({ rounds: 50, place: 'finished', early: null, odd: null })),
    );
    expect(ledger.truesPerRound).toEqual(Array.from({ length: 50 }, () => 1));
  });

  it('says plainly when the file exports no Barrier class', () => {
    expect(() => oneThreadAfterAnother(undefined, 2, 1)).toThrow(
      'the file does not export a class named Barrier',
    );
  });
});
