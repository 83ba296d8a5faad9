/**
 * Runs through dist/ (isolated-vm cannot load inside Jest): each case is a child `node` running the
 * compiled __fixtures__/run-threads.js. Shared memory is `shared.cells`, an Int32Array the fixture
 * allocated on the host; what the threads did is read back from it and from the run's outcome.
 */
import {
  FIXTURE_LIMITS as LIMITS,
  runThreadsInChild,
  runOnceInChild as runOnce,
} from './__fixtures__/threads-in-child';

const COUNTER = `
export function atomicBumps(cells: Int32Array, rounds: number): number {
  for (let i = 0; i < rounds; i++) Atomics.add(cells, 0, 1);
  return rounds;
}
export function racyBumps(cells: Int32Array, rounds: number): number {
  for (let i = 0; i < rounds; i++) cells[0] = cells[0] + 1;
  return rounds;
}`;

describe('runThreads: shared memory between real threads', () => {
  it('shares the grader memory: each thread sees what the other wrote, and a notify wakes a waiting thread', () => {
    const run = runOnce({
      code: `export function meet(cells: Int32Array, index: number): unknown {
        cells[1 + index] = 10 + index;
        if (index === 0) return [Atomics.wait(cells, 0, 0, 5000), cells[2]];
        Atomics.store(cells, 0, 1);
        Atomics.notify(cells, 0);
        return 'notified';
      }`,
      threadSource: '() => (exports, shared, thread) => exports.meet(shared.cells, thread.index)',
    });
    expect(run.outcome?.status).toBe('completed');
    const [waiter, notifier] = run.outcome?.threads ?? [];
    // 'not-equal' when thread 1 stored before thread 0 began to wait; never 'timed-out'.
    expect(waiter.end).toEqual({ kind: 'returned', value: [expect.stringMatching(/^(ok|not-equal)$/), 11] });
    expect(waiter.blockedMs).toBeLessThan(4000);
    expect(notifier.end).toEqual({ kind: 'returned', value: 'notified' });
    expect(run.cells).toEqual([1, 10, 11, 0]);
  });

  it('gives every thread performance.now(), as the brief allows', () => {
    const run = runOnce({
      code: `export function timed(): unknown {
        const start = performance.now();
        while (performance.now() - start < 5) {}
        return [typeof performance.timeOrigin, performance.now() >= 5];
      }`,
      threadSource: '() => (exports) => exports.timed()',
    });
    expect(run.outcome?.threads.map((thread) => thread.end)).toEqual([
      { kind: 'returned', value: ['number', true] },
      { kind: 'returned', value: ['number', true] },
    ]);
  });

  it('keeps every increment when 2 threads each do 1,000,000 Atomics.add on one cell', () => {
    const run = runOnce({
      code: COUNTER,
      threadSource: '() => (exports, shared) => exports.atomicBumps(shared.cells, 1_000_000)',
    });
    expect(run.outcome?.status).toBe('completed');
    expect(run.cells[0]).toBe(2_000_000);
    expect(run.outcome?.threads.map((thread) => thread.threadId)).toEqual([1, 2]);
  });

  it('can lose increments of an unsynchronised c[0] = c[0] + 1 with 4 threads released together', () => {
    const runs = runThreadsInChild({
      code: COUNTER,
      threadCount: 4,
      threadSource: '() => (exports, shared) => exports.racyBumps(shared.cells, 1_000_000)',
      repeat: 5,
    });
    const totals = runs.map((run) => run.cells[0]);
    expect(runs.every((run) => run.outcome?.status === 'completed')).toBe(true);
    expect(totals.every((total) => total <= 4_000_000)).toBe(true);
    // Each run released 4 threads together on 2 cores for milliseconds of work; in measurements every
    // run lost between a quarter and three quarters of the increments. One loss in five runs is enough.
    expect(totals.some((total) => total < 4_000_000)).toBe(true);
  });
});

describe('runThreads: limits and what a stopped run still shows', () => {
  it('ends a run whose threads all wait forever as a timeout, reports each as blocked and disposes every isolate', () => {
    const started = performance.now();
    const run = runOnce({
      code: 'export function sleepForever(cells: Int32Array) { Atomics.wait(cells, 3, 0); }',
      threadCount: 3,
      threadSource: '() => (exports, shared) => exports.sleepForever(shared.cells)',
      limits: { ...LIMITS, wallTimeMs: 500 },
      watchdog: false,
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(run.outcome?.status).toBe('timeout');
    for (const thread of run.outcome?.threads ?? []) {
      expect(thread).toMatchObject({
        end: { kind: 'stopped' },
        waitingOn: { buffer: 'cells', index: 3, expected: 0, current: 0, timeoutMs: null },
      });
      expect(thread.cpuMs).toBeLessThan(100);
    }
    expect(run.liveIsolatesAfter).toBe(0);
  });

  it('stops a thread that spins forever at the deadline, and says it was not blocked', () => {
    const run = runOnce({
      code: 'export function spin() { for (;;); }',
      threadCount: 1,
      threadSource: '() => (exports) => exports.spin()',
      limits: { ...LIMITS, wallTimeMs: 300 },
    });
    expect(run.outcome?.status).toBe('timeout');
    expect(run.outcome?.threads[0]).toMatchObject({ end: { kind: 'stopped' }, waitingOn: null });
    expect(run.liveIsolatesAfter).toBe(0);
  });

  it('gives a thread sleeping in Atomics.wait near zero CPU and a spinning thread about its wall time', () => {
    const run = runOnce({
      code: `export function sleep(cells: Int32Array) { return Atomics.wait(cells, 2, 0, 400); }
        export function spin(ms: number) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n > 0; }`,
      threadSource:
        '() => (exports, shared, thread) => (thread.index === 0 ? exports.sleep(shared.cells) : exports.spin(400))',
    });
    expect(run.outcome?.status).toBe('completed');
    const [sleeper, spinner] = run.outcome?.threads ?? [];
    expect(sleeper.end).toEqual({ kind: 'returned', value: 'timed-out' });
    expect(sleeper.blockedMs).toBeGreaterThanOrEqual(390);
    expect(sleeper.cpuMs).toBeLessThan(40);
    // A spin reads the clock, so it lasts 400 ms of wall time however busy the host is.
    expect(spinner.cpuMs).toBeGreaterThan(350);
    expect(spinner.blockedMs).toBeLessThan(40);
  });

  it('refuses more threads than the limit with a runtime_error naming both numbers, before any isolate exists', () => {
    const code = 'export const ok = 1;';
    const threadSource = '() => (exports) => exports.ok';
    const [defaultLimit] = runThreadsInChild({ code, threadSource, threadCount: 17 });
    expect(defaultLimit.verdict).toEqual({
      status: 'runtime_error',
      message: '17 threads were started; a submission may use at most 16 threads at once',
    });
    expect(defaultLimit.liveIsolatesAfter).toBe(0);
    const [lowered] = runThreadsInChild({
      code,
      threadSource,
      threadCount: 3,
      limits: { ...LIMITS, maxThreads: 2 },
    });
    expect(lowered.verdict?.status).toBe('runtime_error');
  });

  it('runs 16 threads, the default limit, each with its own threadId', () => {
    const run = runOnce({
      code: COUNTER,
      threadCount: 16,
      threadSource:
        '() => (exports, shared, thread) => (exports.atomicBumps(shared.cells, 1000), thread.threadId)',
    });
    expect(run.outcome?.status).toBe('completed');
    expect(run.cells[0]).toBe(16_000);
    expect(run.outcome?.threads.map((thread) => thread.end)).toEqual(
      Array.from({ length: 16 }, (_, index) => ({ kind: 'returned', value: index + 1 })),
    );
    expect(run.liveIsolatesAfter).toBe(0);
  });
});

describe("runThreads: the submission's own failures", () => {
  it('reports a module that throws on load with the line, and runs no thread code', () => {
    const run = runOnce({
      code: 'export const x = 1;\nthrow new RangeError("bad start");\n',
      threadSource: '() => (exports, shared) => Atomics.add(shared.cells, 0, 1)',
    });
    expect(run.outcome?.status).toBe('load_error');
    expect(run.outcome?.threads[0].end).toEqual({
      kind: 'threw',
      phase: 'load',
      message: 'RangeError: bad start',
      location: { line: 2, column: 7 },
    });
    expect(run.cells[0]).toBe(0);
  });

  it('reports a throw in one thread as that thread, while the others return', () => {
    const run = runOnce({
      code: 'export function work(index: number) {\n  if (index === 1) throw new Error("thread " + index + " failed");\n  return index;\n}\n',
      threadSource: '() => (exports, shared, thread) => exports.work(thread.index)',
    });
    expect(run.outcome?.status).toBe('completed');
    expect(run.outcome?.threads.map((thread) => thread.end)).toEqual([
      { kind: 'returned', value: 0 },
      { kind: 'threw', phase: 'run', message: 'Error: thread 1 failed', location: { line: 2, column: 26 } },
    ]);
  });

  it('refuses Atomics.waitAsync in a grader thread with a clear error instead of aborting the process', () => {
    const run = runOnce({
      code: 'export function nap(cells: Int32Array) {\n  return Atomics.waitAsync(cells, 0, 0, 10);\n}\n',
      threadSource: '() => (exports, shared) => { exports.nap(shared.cells); return "went on"; }',
    });
    expect(run.outcome?.status).toBe('completed');
    for (const thread of run.outcome!.threads)
      expect(thread.end).toMatchObject({
        kind: 'threw',
        phase: 'run',
        message: expect.stringMatching(
          /^TypeError: Atomics.waitAsync is not available in a thread the grader started/,
        ),
        location: { line: 2, column: 18 },
      });
  });

  it('ends the run as memory_limit when one thread passes its memory, and stops the others', () => {
    const run = runOnce({
      code: `export function hoard() { const kept: number[][] = []; for (;;) kept.push(new Array(10000).fill(1.5)); }
        export function sleep(cells: Int32Array) { Atomics.wait(cells, 3, 0); }`,
      threadSource:
        '() => (exports, shared, thread) => (thread.index === 0 ? exports.hoard() : exports.sleep(shared.cells))',
    });
    expect(run.outcome?.status).toBe('memory_limit');
    expect(run.outcome?.threads.map((thread) => thread.end.kind)).toEqual(['memory_limit', 'stopped']);
    expect(run.liveIsolatesAfter).toBe(0);
  });
  it('ends the run as memory_limit when a thread cannot allocate a buffer, and stops the others', () => {
    const run = runOnce({
      code: `export function hoard() { const kept: SharedArrayBuffer[] = []; for (;;) kept.push(new SharedArrayBuffer(1 << 24)); }
        export function sleep(cells: Int32Array) { Atomics.wait(cells, 3, 0); }`,
      threadSource:
        '() => (exports, shared, thread) => (thread.index === 0 ? exports.hoard() : exports.sleep(shared.cells))',
    });
    expect(run.outcome?.status).toBe('memory_limit');
    expect(run.outcome?.threads.map((thread) => thread.end.kind)).toEqual(['memory_limit', 'stopped']);
    expect(run.outcome?.threads[0].end).toMatchObject({
      message: expect.stringMatching(
        /^RangeError: Array buffer allocation failed \(more than the \d+ MB a thread may use\)$/,
      ),
    });
    expect(run.liveIsolatesAfter).toBe(0);
  });
});

describe('runThreads: what else a thread shows', () => {
  it('tells a thread that calls new Worker() that the grader starts the threads in this exercise', () => {
    const run = runOnce({
      code: `import { Worker } from 'node:worker_threads';
        export function spawn(): void { new Worker(__filename); }`,
      threadCount: 1,
      threadSource: '() => (exports) => exports.spawn()',
    });
    expect(run.outcome?.threads[0].end).toMatchObject({
      kind: 'threw',
      message: expect.stringMatching(
        /^TypeError: new Worker\(\) is not available in a thread the grader started/,
      ),
      location: { line: 2 },
    });
  });

  it("keeps each thread's console lines as the run's console, and stops a run that prints past the budget", () => {
    const [printing] = runThreadsInChild({
      code: 'export function hello(index: number): void { console.log("thread", index, { ok: true }); }',
      threadSource: '() => (exports, shared, thread) => exports.hello(thread.index)',
    });
    expect(printing.outcome?.status).toBe('completed');
    expect([...printing.outcome!.console].sort()).toEqual(['thread 0 {"ok":true}', 'thread 1 {"ok":true}']);
    const [flooding] = runThreadsInChild({
      code: 'export function flood(): void { for (;;) console.log("x".repeat(100)); }',
      threadSource: '() => (exports) => exports.flood()',
      consoleBytes: 5000,
    });
    expect(flooding.outcome?.status).toBe('output_limit');
    expect(flooding.console.join('\n').length).toBeLessThanOrEqual(5000);
    expect(flooding.liveIsolatesAfter).toBe(0);
  });

  it('shows a spin lock waiter burning CPU while the holder sleeps, and a futex waiter sleeping', () => {
    // Thread 0 holds the lock asleep for 400 ms; thread 1 calls lock() once it is held.
    const locks = `
      export class SpinLock {
        constructor(private state: Int32Array) {}
        lock(): void { while (Atomics.compareExchange(this.state, 0, 0, 1) !== 0); }
        unlock(): void { Atomics.store(this.state, 0, 0); }
      }
      export class SleepLock {
        constructor(private state: Int32Array) {}
        lock(): void { while (Atomics.compareExchange(this.state, 0, 0, 1) !== 0) Atomics.wait(this.state, 0, 1); }
        unlock(): void { Atomics.store(this.state, 0, 0); Atomics.notify(this.state, 0, 1); }
      }`;
    const holdThenRelease = (lockClass: string) => `() => {
      const { store, notify, wait } = Atomics;
      return (exports, shared, thread) => {
        const lock = new exports.${lockClass}(shared.state);
        if (thread.index === 0) {
          lock.lock();
          store(shared.signals, 0, 1);
          notify(shared.signals, 0);
          wait(shared.signals, 1, 0, 400);
        } else {
          wait(shared.signals, 0, 0);
          lock.lock();
        }
        lock.unlock();
      };
    }`;
    const [spin] = runThreadsInChild({
      code: locks,
      threadSource: holdThenRelease('SpinLock'),
      arrays: { state: 1, signals: 2 },
    });
    const [sleep] = runThreadsInChild({
      code: locks,
      threadSource: holdThenRelease('SleepLock'),
      arrays: { state: 1, signals: 2 },
    });
    const [holder, spinner] = spin.outcome!.threads;
    expect(holder.blockedMs).toBeGreaterThanOrEqual(390);
    // The spinner is entered (on a core or waiting for one) from its wake-up until the release; half
    // the hold leaves room for a wake-up delayed by a busy machine.
    expect(spinner.waits).toBe(1);
    expect(spinner.cpuMs).toBeGreaterThan(holder.blockedMs / 2);
    const [sleepHolder, sleeper] = sleep.outcome!.threads;
    expect(sleeper.blockedMs).toBeGreaterThan(sleepHolder.blockedMs * 0.8);
    expect(sleeper.cpuMs).toBeLessThan(sleeper.blockedMs / 4);
  });
});
