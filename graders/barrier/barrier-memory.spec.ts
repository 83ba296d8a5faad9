import { runThreadCodeInWorkers } from '../lib/testing/thread-code-in-workers';
import { allocateBarrierRun, LEDGER_SLOTS, readBarrierLedger } from './barrier-memory';
import type { BarrierThreadPlan } from './barrier-plan';
import { barrierThreadCode } from './in-thread/barrier-thread-code';

/**
 * The thread code repeats the memory layout of barrier-memory.ts (it cannot import it). These
 * specs run it outside the sandbox, in real worker threads, with stand-in barriers, and read the
 * result back with the host's reader: both sides must agree on every cell.
 */
const generationBarrier = `
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
  }`;

function plan(threads: number, overrides: Partial<BarrierThreadPlan> = {}): BarrierThreadPlan {
  return {
    index: 3,
    latecomerMs: 0,
    pauseChance: 0.3,
    pauseMs: { minMs: 0, maxMs: 1 },
    maxMs: 60_000,
    seeds: Array.from({ length: threads }, (_, thread) => 100 + thread),
    ...overrides,
  };
}

async function run(
  threads: number,
  rounds: number,
  threadPlan: BarrierThreadPlan,
  source = generationBarrier,
  stopAfterMs?: number,
) {
  const memory = allocateBarrierRun(threads, rounds);
  const shared = { plan: threadPlan, ...memory };
  const ends = await runThreadCodeInWorkers(
    barrierThreadCode,
    `${source}\nconst submission = { Barrier };`,
    shared,
    threads,
    stopAfterMs,
  );
  return { ends, memory, ledger: readBarrierLedger(memory, threads) };
}

describe('barrier memory layout, thread code and host reader together', () => {
  it('records every round of a correct barrier: one true each, nobody early', async () => {
    const { ends, ledger, memory } = await run(3, 200, plan(3));
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned', 'returned']);
    expect(ledger.ints).toBe(2);
    expect(ledger.threads).toEqual(
      Array.from({ length: 3 }, () => ({ rounds: 200, place: 'finished', early: null, odd: null })),
    );
    expect(ledger.truesPerRound).toEqual(Array.from({ length: 200 }, () => 1));
    expect(Atomics.load(new Int32Array(memory.ledger), LEDGER_SLOTS.arrivals)).toBe(600);
  });

  it('stops every thread after the same round once the time budget has passed', async () => {
    const { ends, ledger } = await run(2, 100_000, plan(2, { maxMs: 20, pauseChance: 0 }));
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned']);
    const [first, second] = ledger.threads.map((row) => row.rounds);
    expect(first).toBe(second);
    expect(first).toBeLessThan(100_000);
  });

  it('records who left before every party had arrived, and a wait() that returned no boolean', async () => {
    const noBarrier = 'class Barrier { static INTS = 1; wait() { return undefined; } }';
    const { ledger } = await run(2, 3, plan(2, { pauseChance: 0, latecomerMs: 50 }), noBarrier);
    expect(ledger.threads[0]).toEqual({
      rounds: 3,
      place: 'finished',
      early: { round: 0, arrived: 1 },
      odd: { round: 0, kind: 'undefined' },
    });
    expect(ledger.truesPerRound).toEqual([0, 0, 0]);
  });

  it('keeps the last party out of the first round for latecomerMs', async () => {
    const started = Date.now();
    const { ledger } = await run(3, 1, plan(3, { latecomerMs: 80, pauseChance: 0 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    expect(ledger.threads.map((row) => row.early)).toEqual([null, null, null]);
    expect(ledger.truesPerRound).toEqual([1]);
  });

  it('says plainly when INTS is not a whole number of cells', async () => {
    const { ends } = await run(
      2,
      1,
      plan(2),
      generationBarrier.replace('static INTS = 2;', 'static INTS = 2.5;'),
    );
    expect(ends[0]).toEqual({
      kind: 'threw',
      message: 'Error: Barrier.INTS must be a whole number of cells from 1 to 16, not 2.5',
    });
  });
});
