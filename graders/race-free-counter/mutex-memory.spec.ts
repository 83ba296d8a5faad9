import { Worker } from 'node:worker_threads';
import type { ThreadCode } from '../grader-api';
import { REAL_RUN_TOOLS } from '../lib/testing/real-run-tools';
import { countingThreadCode } from './in-thread/counting-thread-code';
import { holdThreadCode } from './in-thread/hold-thread-code';
import { twoIndexesThreadCode } from './in-thread/two-indexes-thread-code';
import {
  allocateInts,
  allocateTally,
  COUNTER_CELLS,
  readCounter,
  readTally,
  SIGNAL_CELLS,
  STATE_CELLS,
} from './mutex-memory';

/**
 * The thread code repeats the memory layout of mutex-memory.ts (it cannot import it). These specs
 * run it outside the sandbox, with a plain lock standing in for the submission, and read the
 * result back with the host's readers: both sides must agree on every cell.
 */
class PlainMutex {
  constructor(
    private readonly state: Int32Array,
    private readonly index = 0,
  ) {}
  lock(): void {
    while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0)
      Atomics.wait(this.state, this.index, 1);
  }
  unlock(): void {
    Atomics.store(this.state, this.index, 0);
    Atomics.notify(this.state, this.index, 1);
  }
}

/** The arguments after `state` each Mutex was built with: [] for the default index. */
const built: unknown[][] = [];
class RecordingMutex extends PlainMutex {
  constructor(...args: [Int32Array, number?]) {
    super(...args);
    built.push(args.slice(1));
  }
}

type Body = (
  exports: Record<string, unknown>,
  shared: unknown,
  thread: { index: number; threadId: number; count: number },
) => unknown;
const bodyOf = (code: ThreadCode) => code(REAL_RUN_TOOLS) as unknown as Body;
const exportsWithMutex = { Mutex: RecordingMutex };
beforeEach(() => built.splice(0));

describe('race-free-counter memory layout, thread code and host readers together', () => {
  it('counts every round, leaves each thread finished, and builds the Mutex over state[mutexIndex]', () => {
    const shared = {
      state: allocateInts(STATE_CELLS),
      counter: allocateInts(COUNTER_CELLS),
      tally: allocateTally(2),
      rounds: 1000,
      maxMs: 10_000,
      mutexIndex: 5,
      alternate: true,
    };
    const body = bodyOf(countingThreadCode);
    // One thread at a time in this process: the spin barrier lets each through once it arrived.
    body(exportsWithMutex, shared, { index: 0, threadId: 1, count: 1 });
    body(exportsWithMutex, shared, { index: 1, threadId: 2, count: 1 });
    expect(readCounter(shared.counter)).toBe(0);
    expect(readTally(shared.tally, 2)).toEqual([
      { rounds: 1000, place: 'finished', overlaps: 0, lockMs: 0 },
      { rounds: 1000, place: 'finished', overlaps: 0, lockMs: 0 },
    ]);
    expect(built).toEqual([[5], [5]]);
  });

  it('records a thread that got into the critical section while another was inside', () => {
    const shared = {
      state: allocateInts(STATE_CELLS),
      counter: allocateInts(COUNTER_CELLS),
      tally: allocateTally(1),
      rounds: 3,
      maxMs: 10_000,
      mutexIndex: null,
      alternate: false,
    };
    Atomics.store(new Int32Array(shared.counter), 16, 1); // as if another thread were inside
    bodyOf(countingThreadCode)(exportsWithMutex, shared, { index: 0, threadId: 1, count: 1 });
    expect(readTally(shared.tally, 1)[0]).toMatchObject({ rounds: 3, overlaps: 3 });
    expect(readCounter(shared.counter)).toBe(3);
    expect(built).toEqual([[]]);
  });

  it('says plainly that the file exports no Mutex class', () => {
    const shared = {
      state: allocateInts(STATE_CELLS),
      counter: allocateInts(COUNTER_CELLS),
      tally: allocateTally(1),
      rounds: 2,
      maxMs: 10_000,
      mutexIndex: null,
      alternate: false,
    };
    expect(() =>
      bodyOf(countingThreadCode)({ mutex: PlainMutex }, shared, { index: 0, threadId: 1, count: 1 }),
    ).toThrow('the file does not export a class named Mutex');
  });

  it('has the holder take the lock and release it, and a waiter record its time in lock()', () => {
    const shared = {
      state: allocateInts(STATE_CELLS),
      signals: allocateInts(SIGNAL_CELLS),
      tally: allocateTally(2),
      holdMs: 20,
      mutexIndex: 3,
    };
    const body = bodyOf(holdThreadCode);
    body(exportsWithMutex, shared, { index: 0, threadId: 1, count: 2 });
    body(exportsWithMutex, shared, { index: 1, threadId: 2, count: 2 });
    const [holder, waiter] = readTally(shared.tally, 2);
    expect(holder).toMatchObject({ rounds: 1, place: 'finished', overlaps: 0 });
    expect(waiter).toMatchObject({ rounds: 1, place: 'finished', overlaps: 0 });
    expect(Array.from(new Int32Array(shared.signals)).slice(0, 3)).toEqual([1, 0, 0]);
    expect(built).toEqual([[3], [3]]);
  });

  it('runs the two-index code as source text in two real threads, each round both ways', async () => {
    const shared = {
      state: allocateInts(STATE_CELLS),
      signals: allocateInts(SIGNAL_CELLS),
      tally: allocateTally(2),
      indexes: [2, 6],
    };
    // Sent as text, as the sandbox does: proves the code needs nothing from this module's scope.
    const source = `
      const { workerData } = require('node:worker_threads');
      ${PlainMutex.toString()}
      const body = (${twoIndexesThreadCode.toString()})();
      body({ Mutex: PlainMutex }, workerData.shared, workerData.thread);`;
    await Promise.all(
      [0, 1].map(
        (index) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(source, {
              eval: true,
              workerData: { shared, thread: { index, threadId: index + 1, count: 2 } },
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    expect(readTally(shared.tally, 2).map((row) => [row.rounds, row.place])).toEqual([
      [2, 'finished'],
      [2, 'finished'],
    ]);
    expect(Array.from(new Int32Array(shared.signals)).slice(0, 4)).toEqual([1, 1, 1, 1]);
  });
});
