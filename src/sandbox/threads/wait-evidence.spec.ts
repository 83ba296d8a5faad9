/**
 * Real isolates through dist/ (see __fixtures__/threads-in-child.ts): where threads wait, the
 * deadlock watchdog, lost wake-ups, and the Atomics.wait wrapper under odd arguments.
 */
import { runOnceInChild, runThreadsInChild } from './__fixtures__/threads-in-child';
import type { ThreadRunFixtureRun } from './__fixtures__/run-threads';

/** Correct locks: Drepper's futex mutex (0 free, 1 held, 2 held with sleepers) and a FIFO ticket lock. */
const CORRECT_LOCKS = `
export class Mutex {
  constructor(private state: Int32Array, private index = 0) {}
  lock(): void {
    let c = Atomics.compareExchange(this.state, this.index, 0, 1);
    if (c === 0) return;
    if (c !== 2) c = Atomics.exchange(this.state, this.index, 2);
    while (c !== 0) {
      Atomics.wait(this.state, this.index, 2);
      c = Atomics.exchange(this.state, this.index, 2);
    }
  }
  unlock(): void {
    if (Atomics.sub(this.state, this.index, 1) !== 1) {
      Atomics.store(this.state, this.index, 0);
      Atomics.notify(this.state, this.index, 1);
    }
  }
}
/** state[0]: next ticket; state[1]: the ticket being served. Everyone sleeps on state[1]; unlock wakes all. */
export class TicketLock {
  constructor(private state: Int32Array) {}
  lock(): void {
    const ticket = Atomics.add(this.state, 0, 1);
    for (;;) {
      const serving = Atomics.load(this.state, 1);
      if (serving === ticket) return;
      Atomics.wait(this.state, 1, serving);
    }
  }
  unlock(): void {
    Atomics.add(this.state, 1, 1);
    Atomics.notify(this.state, 1);
  }
}`;

/** Each thread: `rounds` times lock(); v = c[0]; c[0] = v + 1; unlock(). */
function countingCode(lockClass: string, rounds: number): string {
  return `() => (exports, shared) => {
    const lock = new exports.${lockClass}(shared.state);
    for (let i = 0; i < ${rounds}; i++) {
      lock.lock();
      const v = shared.counter[0];
      shared.counter[0] = v + 1;
      lock.unlock();
    }
  }`;
}

function statuses(runs: ThreadRunFixtureRun[]): string[] {
  return [...new Set(runs.map((run) => run.outcome?.status ?? run.verdict?.status ?? 'none'))];
}

describe('the deadlock watchdog never flags a correct lock under load', () => {
  // Sleepers are being woken all the time: each poll can catch every thread in Atomics.wait, one of
  // them woken but not yet scheduled. A 5 ms poll looks far more often than the default 50 ms.
  it.each([
    ['Mutex', 2, 20],
    ['Mutex', 4, 20],
    ['Mutex', 8, 25],
    ['TicketLock', 2, 20],
    ['TicketLock', 4, 20],
    ['TicketLock', 8, 25],
  ])('%s with %i threads: exact count and completed in each of %i runs', (lockClass, threads, repeat) => {
    const rounds = lockClass === 'TicketLock' ? 500 : 5000;
    const runs = runThreadsInChild({
      code: CORRECT_LOCKS,
      threadCount: threads,
      threadSource: countingCode(lockClass, rounds),
      arrays: { state: 4, counter: 4 },
      watchdog: { pollMs: 5 },
      repeat,
    });
    expect(statuses(runs)).toEqual(['completed']);
    expect(runs.map((run) => run.arrays.counter[0])).toEqual(runs.map(() => threads * rounds));
    expect(runs.every((run) => run.liveIsolatesAfter === 0)).toBe(true);
  });
});

describe('the deadlock watchdog stops a run where every live thread sleeps for good', () => {
  it('reports a lock whose unlock never notifies as a deadlock, naming the sleepers as lost wake-ups on state[0]', () => {
    // Thread 0 takes the lock and holds it until the others announced they are about to lock and had
    // time to fall asleep; then its unlock stores 0 without a notify. Whoever slept never wakes.
    // Whoever was still on its way (a thread that got no core for those 200 ms: seen once in CI)
    // takes the free lock and returns; a run where that happened to all three completes, rightly.
    // So three runs: at least one must deadlock, and each that does must say exactly this.
    const runs = runThreadsInChild({
      code: `
        export class Mutex {
          constructor(private state: Int32Array) {}
          lock(): void { while (Atomics.compareExchange(this.state, 0, 0, 1) !== 0) Atomics.wait(this.state, 0, 1); }
          unlock(): void { Atomics.store(this.state, 0, 0); }
        }`,
      threadCount: 4,
      threadSource: `() => {
        const { add, load, wait } = Atomics;
        return (exports, shared, thread) => {
          const mutex = new exports.Mutex(shared.state);
          if (thread.index === 0) {
            mutex.lock();
            while (load(shared.signals, 0) < thread.count - 1) wait(shared.signals, 1, 0, 5);
            wait(shared.signals, 1, 0, 200);
          } else {
            add(shared.signals, 0, 1);
            mutex.lock();
          }
          mutex.unlock();
          return 'unlocked';
        };
      }`,
      arrays: { state: 4, signals: 4 },
      repeat: 3,
    });
    const deadlocked = runs.filter((run) => run.outcome?.status === 'deadlock');
    expect(deadlocked.length).toBeGreaterThan(0);
    for (const run of runs.filter((candidate) => candidate.outcome?.status !== 'deadlock'))
      expect(run.outcome?.threads.map((thread) => thread.end)).toEqual(
        Array.from({ length: 4 }, () => ({ kind: 'returned', value: 'unlocked' })),
      );
    for (const run of deadlocked) {
      const outcome = run.outcome!;
      expect(outcome.threads[0].end).toEqual({ kind: 'returned', value: 'unlocked' });
      const sleepers = outcome.threads.filter((thread) => thread.end.kind === 'stopped');
      expect(sleepers.length).toBeGreaterThan(0);
      expect(outcome.lostWakeups).toEqual(sleepers.map((thread) => thread.index));
      for (const sleeper of sleepers)
        expect(sleeper.waitingOn).toEqual({
          buffer: 'state',
          index: 0,
          expected: 1,
          current: 0,
          timeoutMs: null,
        });
    }
    expect(runs.map((run) => run.liveIsolatesAfter)).toEqual([0, 0, 0]);
  });

  it('detects two threads taking two locks in opposite order (ABBA) and shows where each waits', () => {
    const run = runOnceInChild({
      code: CORRECT_LOCKS,
      threadCount: 2,
      threadSource: `() => {
        const { store, load, notify, wait } = Atomics;
        return (exports, shared, thread) => {
          const mine = new exports.Mutex(shared.locks, thread.index);
          const other = new exports.Mutex(shared.locks, 1 - thread.index);
          mine.lock();
          store(shared.signals, thread.index, 1);
          notify(shared.signals, thread.index);
          while (load(shared.signals, 1 - thread.index) === 0) wait(shared.signals, 1 - thread.index, 0);
          other.lock();
          return 'both held';
        };
      }`,
      arrays: { locks: 2, signals: 2 },
    });
    const outcome = run.outcome!;
    expect(outcome.status).toBe('deadlock');
    expect(outcome.threads.map((thread) => thread.end.kind)).toEqual(['stopped', 'stopped']);
    expect(outcome.threads.map((thread) => thread.waitingOn)).toEqual([
      { buffer: 'locks', index: 1, expected: 2, current: 2, timeoutMs: null },
      { buffer: 'locks', index: 0, expected: 2, current: 2, timeoutMs: null },
    ]);
    expect(outcome.lostWakeups).toEqual([]);
    expect(run.arrays.locks).toEqual([2, 2]);
  });

  it('names a wait on memory the grader did not allocate with a null buffer and current value', () => {
    const run = runOnceInChild({
      code: `const own = new Int32Array(new SharedArrayBuffer(16));
        export function sleep(): void { Atomics.wait(own, 3, 0); }`,
      threadCount: 2,
      threadSource: '() => (exports) => exports.sleep()',
    });
    expect(run.outcome?.status).toBe('deadlock');
    for (const thread of run.outcome!.threads)
      expect(thread.waitingOn).toEqual({
        buffer: null,
        index: 3,
        expected: 0,
        current: null,
        timeoutMs: null,
      });
    expect(run.outcome?.lostWakeups).toEqual([]);
  });

  it('does not call waits with a timeout a deadlock: the run ends at its wall time with their sites', () => {
    const run = runOnceInChild({
      code: 'export function nap(cells: Int32Array): void { for (;;) Atomics.wait(cells, 2, 0, 30); }',
      threadCount: 2,
      threadSource: '() => (exports, shared) => exports.nap(shared.cells)',
      limits: { wallTimeMs: 600, memoryMbPerThread: 16 },
    });
    expect(run.outcome?.status).toBe('timeout');
    for (const thread of run.outcome!.threads) {
      expect(thread.waits).toBeGreaterThan(0);
      if (thread.waitingOn)
        expect(thread.waitingOn).toEqual({
          buffer: 'cells',
          index: 2,
          expected: 0,
          current: 0,
          timeoutMs: 30,
        });
    }
  });

  it('counts the index from the buffer start for a view with an offset, and names BigInt64Array waits', () => {
    const run = runOnceInChild({
      code: `export function sleep(cells: Int32Array, big: boolean): void {
          if (big) Atomics.wait(new BigInt64Array(cells.buffer, 8, 1), 0, 0n);
          else Atomics.wait(new Int32Array(cells.buffer, 4, 2), 1, 0);
        }`,
      threadCount: 2,
      threadSource: '() => (exports, shared, thread) => exports.sleep(shared.cells, thread.index === 1)',
    });
    expect(run.outcome?.status).toBe('deadlock');
    expect(run.outcome?.threads.map((thread) => thread.waitingOn)).toEqual([
      { buffer: 'cells', index: 2, expected: 0, current: 0, timeoutMs: null },
      { buffer: 'cells', index: 1, expected: 0, current: 0, timeoutMs: null },
    ]);
  });
});

/**
 * Calls Atomics.wait with odd arguments and records what each call threw or returned, and how often
 * user code (valueOf) ran. Runs as the submission in a thread (the wrapped wait) and here in Jest
 * (the built-in, same V8): the two lists must be equal.
 */
function probeWait(): string[] {
  const shared = new Int32Array(new SharedArrayBuffer(16));
  const big = new BigInt64Array(new SharedArrayBuffer(16));
  const wait = (...args: unknown[]) => (Atomics.wait as (...a: unknown[]) => string)(...args);
  const outcome = (call: () => unknown): string => {
    try {
      return 'returned ' + String(call());
    } catch (error) {
      return String(error);
    }
  };
  let calls = 0;
  const index = {
    valueOf() {
      calls++;
      return 1;
    },
  };
  const throwing = {
    valueOf() {
      throw new RangeError('from valueOf');
    },
  };
  const results = [
    outcome(() => wait([1, 2], 0, 0, 0)),
    outcome(() => wait(null, 0, 0, 0)),
    outcome(() => wait(new Int32Array(4), 0, 0, 0)),
    outcome(() => wait(new Float64Array(new SharedArrayBuffer(8)), 0, 0, 0)),
    outcome(() => wait(new Uint8Array(new SharedArrayBuffer(8)), 0, 0, 0)),
    outcome(() => wait(new Proxy(shared, {}), 0, 0, 0)),
    outcome(() => wait(shared, 4, throwing, 0)),
    outcome(() => wait(shared, -1, 0, 0)),
    outcome(() => wait(shared, 1e20, 0, 0)),
    outcome(() => wait(shared, Symbol('i'), 0, 0)),
    outcome(() => wait(shared, 1n, 0, 0)),
    outcome(() => wait(shared, index, 7, 0)),
    outcome(() => wait(shared, index, 0, 0)),
    outcome(() => wait(shared, '2', 0, '1')),
    outcome(() => wait(shared, 0, 1n, 0)),
    outcome(() => wait(shared, 0, 0, 1n)),
    outcome(() => wait(shared, 0, throwing, throwing)),
    outcome(() => wait(big, 1, 0n, 0)),
    outcome(() => wait(big, 1, 5, 0)),
    outcome(() => wait(big, 1, 'x', 0)),
    outcome(() => wait(big, 1, '1', NaN)),
    'valueOf ran ' + calls + ' times',
    [Atomics.wait.name, Atomics.wait.length, Atomics.notify.name, Atomics.notify.length].join('/'),
  ];
  return results;
}

describe('the Atomics.wait wrapper', () => {
  it('throws and returns exactly what the built-in does for odd arguments, running valueOf as often', () => {
    const run = runOnceInChild({
      code: `export ${String(probeWait)}`,
      threadCount: 1,
      threadSource: '() => (exports) => exports.probeWait()',
    });
    expect(run.outcome?.status).toBe('completed');
    const inThread = (run.outcome?.threads[0].end as { value: string[] }).value;
    expect(inThread).toEqual(probeWait());
    expect(inThread).toContain('valueOf ran 2 times');
  });

  it('counts only the waits that got past the argument checks, and leaves none open', () => {
    const run = runOnceInChild({
      code: `export ${String(probeWait)}`,
      threadCount: 1,
      threadSource: '() => (exports) => exports.probeWait()',
    });
    // Past the checks: index 1 (not-equal), index 1 (timed-out), '2' with '1' ms, and 0n / '1' on the BigInt64Array.
    expect(run.outcome?.threads[0]).toMatchObject({ waits: 5, waitingOn: null });
  });
});
