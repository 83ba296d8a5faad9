import { runThreadCodeInWorkers } from '../lib/testing/thread-code-in-workers';
import {
  allocateControlledRun,
  CONTROLLED_HEADER,
  CONTROLLED_HEADER_CELLS,
  CONTROLLED_ROW_CELLS,
  CONTROLLED_SLOTS,
  readControlledLedger,
  type ControlledRoundsShared,
} from './controlled-memory';
import { controlledRoundsThreadCode } from './in-thread/controlled-rounds-thread-code';

/**
 * The controlled thread code repeats the layout of controlled-memory.ts (it cannot import it).
 * These specs run it in real worker threads (its points are no-ops there) with a reentrant lock
 * standing in for the submission, and read the ledger back with the host's reader.
 */
const standInLock = `
  const owner = require('node:worker_threads').threadId;
  class ReentrantLock {
    static INTS = 2;
    constructor(state, index = 0) { this.state = state; this.index = index; }
    acquire() {
      const { state, index } = this;
      if (Atomics.load(state, index) === owner) return void Atomics.add(state, index + 1, 1);
      for (let holder; (holder = Atomics.compareExchange(state, index, 0, owner)) !== 0; ) Atomics.wait(state, index, holder);
      Atomics.store(state, index + 1, 1);
    }
    release() {
      const { state, index } = this;
      if (Atomics.load(state, index) !== owner) throw new Error('not held');
      if (Atomics.sub(state, index + 1, 1) === 1) { Atomics.store(state, index, 0); Atomics.notify(state, index, 1); }
    }
  }`;

async function run(
  threads: number,
  settings: Partial<Omit<ControlledRoundsShared, 'state' | 'counter' | 'ledger'>>,
  source = standInLock,
) {
  const shared = allocateControlledRun(threads, {
    lockIndex: 3,
    rounds: 2,
    maxDepth: 3,
    offset: 0,
    unheldReleases: false,
    ...settings,
  });
  const ends = await runThreadCodeInWorkers(
    controlledRoundsThreadCode,
    `${source}\nconst submission = { ReentrantLock };`,
    { ...shared },
    threads,
  );
  return { ends, ledger: readControlledLedger(shared, threads) };
}

describe('reentrant-lock controlled memory: thread code and host reader together', () => {
  it('counts every update at every level, each round nesting as deep as its thread and offset say', async () => {
    const { ends, ledger } = await run(3, { offset: 1 });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned', 'returned']);
    expect(ledger.ints).toBe(2);
    // Round r of thread i nests 1 + (r + i + offset) % 3 deep: 2 * depth - 1 updates.
    expect(
      ledger.threads.map((row) => [row.rounds, row.updates, row.roundDepth, row.depth, row.place]),
    ).toEqual([
      [2, 8, 3, 0, 'finished'],
      [2, 6, 1, 0, 'finished'],
      [2, 4, 2, 0, 'finished'],
    ]);
    expect(ledger.counter).toBe(18);
    expect(ledger.threads.every((row) => row.overlap === null && row.unheldRelease === 'not-tried')).toBe(
      true,
    );
  });

  it('records each release() made while holding nothing, who held the lock then, and its cells before and after', async () => {
    const { ends, ledger } = await run(2, { unheldReleases: true });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned']);
    for (const row of ledger.threads) {
      expect(row.unheldRelease).toBe('threw');
      expect(row.after).toEqual(row.before);
      expect(row.before).toHaveLength(2);
    }
  });

  it('records what a release() that should have thrown changed, and stops starting rounds', async () => {
    const careless = standInLock.replace(
      "throw new Error('not held')",
      'return void Atomics.sub(state, index + 1, 1)',
    );
    const { ledger } = await run(1, { unheldReleases: true, rounds: 3 }, careless);
    expect(ledger.threads[0]).toMatchObject({
      unheldRelease: 'returned',
      unheldHolder: null,
      before: [0, 0],
      after: [0, -1],
      rounds: 0,
    });
  });

  it('records the thread that was inside when an acquire() returned, and how deep it held the lock', async () => {
    // Room for two threads, one running: as if thread 2 were inside, back to 2 deep in a round 3 deep.
    const shared = allocateControlledRun(2, {
      lockIndex: null,
      rounds: 3,
      maxDepth: 2,
      offset: 0,
      unheldReleases: false,
    });
    const cells = new Int32Array(shared.ledger);
    const second = CONTROLLED_HEADER_CELLS + CONTROLLED_ROW_CELLS;
    cells[CONTROLLED_HEADER.inside] = 1;
    cells[CONTROLLED_HEADER.holder] = 2;
    cells[second + CONTROLLED_SLOTS.depth] = 2;
    cells[second + CONTROLLED_SLOTS.roundDepth] = 3;
    cells[second + CONTROLLED_SLOTS.roundReleases] = 1;
    await runThreadCodeInWorkers(
      controlledRoundsThreadCode,
      `${standInLock}\nconst submission = { ReentrantLock };`,
      { ...shared },
      1,
    );
    const [first] = readControlledLedger(shared, 2).threads;
    expect(first.overlap).toEqual({ thread: 1, depth: 2, roundDepth: 3, released: 1 });
    expect(first.rounds).toBe(1);
  });
});
