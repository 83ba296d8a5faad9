import type { ThreadCode } from '../grader-api';
import { runThreadCodeInWorkers } from '../lib/testing/thread-code-in-workers';
import { countingThreadCode } from './in-thread/counting-thread-code';
import { holdThreadCode } from './in-thread/hold-thread-code';
import { nestingThreadCode } from './in-thread/nesting-thread-code';
import { releaseNotHeldThreadCode } from './in-thread/release-not-held-thread-code';
import { twoLocksThreadCode } from './in-thread/two-locks-thread-code';
import { allocateLockRun, LEDGER_SLOTS, readLockLedger } from './lock-memory';

/**
 * The thread code repeats the memory layout of lock-memory.ts (it cannot import it). These specs
 * run it outside the sandbox, in real worker threads, with a plain reentrant lock standing in for
 * the submission, and read the result back with the host's reader: both sides must agree on every
 * cell. `owner` is the worker's threadId, as `threadId` is for a submission.
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
const submission = (source = standInLock) => `${source}\nconst submission = { ReentrantLock };`;

async function run(code: ThreadCode, threads: number, settings: Record<string, unknown>, source?: string) {
  const memory = allocateLockRun(threads);
  const ends = await runThreadCodeInWorkers(code, submission(source), { ...settings, ...memory }, threads);
  return { ends, memory, ledger: readLockLedger(memory, threads) };
}

describe('reentrant-lock memory layout, thread code and host reader together', () => {
  it('counts every update at every nesting level, and leaves each thread finished and holding nothing', async () => {
    const { ends, ledger } = await run(countingThreadCode, 3, {
      lockIndex: 5,
      rounds: 300,
      maxDepth: 3,
      maxMs: 10_000,
    });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned', 'returned']);
    expect(ledger.ints).toBe(2);
    // Rounds nest 1, 2, 3 deep in turn: 2 * depth - 1 updates and depth acquires a round.
    expect(
      ledger.threads.map((row) => [
        row.rounds,
        row.updates,
        row.acquires,
        row.releases,
        row.depth,
        row.place,
      ]),
    ).toEqual(Array.from({ length: 3 }, () => [300, 900, 600, 600, 0, 'finished']));
    expect(ledger.counter).toBe(2700);
    expect(ledger.threads.every((row) => row.overlaps === 0)).toBe(true);
  });

  it('records a thread inside while another is counted inside', async () => {
    const memory = allocateLockRun(1);
    Atomics.store(new Int32Array(memory.ledger), LEDGER_SLOTS.inside, 1); // as if another thread were inside
    await runThreadCodeInWorkers(
      countingThreadCode,
      submission(),
      { ...memory, lockIndex: null, rounds: 3, maxDepth: 2, maxMs: 10_000 },
      1,
    );
    expect(readLockLedger(memory, 1).threads[0].overlaps).toBeGreaterThanOrEqual(3);
  });

  it('says plainly when INTS is not a whole number of cells', async () => {
    const noInts = standInLock.replace('static INTS = 2;', '');
    const { ends } = await run(
      countingThreadCode,
      1,
      { lockIndex: 0, rounds: 1, maxDepth: 1, maxMs: 100 },
      noInts,
    );
    expect(ends).toEqual([
      {
        kind: 'threw',
        message: 'Error: ReentrantLock.INTS must be a whole number of cells from 1 to 16, not undefined',
      },
    ]);
  });

  it('nests 1 to 5 deep in thread 1 and has thread 2 take the lock after each cycle', async () => {
    const { ends, ledger, memory } = await run(nestingThreadCode, 2, { lockIndex: null, maxDepth: 5 });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned']);
    expect(ledger.threads.map((row) => [row.rounds, row.acquires, row.releases])).toEqual([
      [5, 15, 15],
      [5, 5, 5],
    ]);
    expect(Array.from(new Int32Array(memory.signals)).slice(0, 2)).toEqual([5, 5]);
  });

  it('keeps the waiters out until thread 1 has made its last release, and times their acquire()', async () => {
    const { ends, ledger } = await run(holdThreadCode, 3, { lockIndex: 2, depth: 3, holdMs: 60 });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned', 'returned']);
    const [holder, ...waiters] = ledger.threads;
    expect([holder.acquires, holder.releases, holder.place]).toEqual([3, 3, 'finished']);
    for (const waiter of waiters) {
      expect([waiter.acquires, waiter.releases, waiter.overlaps]).toEqual([2, 2, 0]);
      expect(waiter.lockMs).toBeGreaterThanOrEqual(30);
    }
  });

  it('sees a release() by a thread that does not hold the lock throw and change nothing', async () => {
    const { ends, ledger } = await run(releaseNotHeldThreadCode, 2, { lockIndex: 3, holdMs: 20 });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned']);
    expect(ledger.threads.map((row) => [row.badRelease, row.changed, row.overlaps])).toEqual([
      ['threw', null, 0],
      ['threw', null, 0],
    ]);
  });

  it('records the first cell a release() by a non-holder changed, when it returns instead of throwing', async () => {
    const careless = standInLock.replace(
      "throw new Error('not held')",
      'return void Atomics.sub(state, index + 1, 1)',
    );
    const { ledger } = await run(releaseNotHeldThreadCode, 2, { lockIndex: 3, holdMs: 20 }, careless);
    expect(ledger.threads[0]).toMatchObject({
      badRelease: 'returned',
      changed: { cell: 4, from: 0, to: -1 },
    });
  });

  it('takes two locks side by side, each while the other is held', async () => {
    const { ends, ledger } = await run(twoLocksThreadCode, 2, { firstIndex: 6 });
    expect(ends.map((end) => end.kind)).toEqual(['returned', 'returned']);
    expect(ledger.threads.map((row) => [row.rounds, row.place])).toEqual([
      [2, 'finished'],
      [2, 'finished'],
    ]);
  });
});
