/**
 * Runs through dist/ (isolated-vm cannot load inside Jest): each case is a child `node` running the
 * compiled __fixtures__/run-threads.js. Shared memory is `shared.cells`, an Int32Array the fixture
 * allocated on the host; what the threads did is read back from it and from the run's outcome.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { ThreadRunFixtureRequest, ThreadRunFixtureRun } from './__fixtures__/run-threads';

const RUNNER = resolve(__dirname, '../../../dist/src/sandbox/threads/__fixtures__/run-threads.js');
const LIMITS = { wallTimeMs: 10_000, memoryMbPerThread: 16 };

function runThreadsInChild(request: Partial<ThreadRunFixtureRequest>): ThreadRunFixtureRun[] {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify({ threadCount: 2, sharedInts: 4, limits: LIMITS, ...request }),
    encoding: 'utf8',
  });
  return JSON.parse(output) as ThreadRunFixtureRun[];
}

function runOnce(request: Partial<ThreadRunFixtureRequest>): ThreadRunFixtureRun {
  return runThreadsInChild(request)[0];
}

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
      threadSource: '(exports, shared, thread) => exports.meet(shared.cells, thread.index)',
    });
    expect(run.outcome?.status).toBe('completed');
    const [waiter, notifier] = run.outcome?.threads ?? [];
    // 'not-equal' when thread 1 stored before thread 0 began to wait; never 'timed-out'.
    expect(waiter.end).toEqual({ kind: 'returned', value: [expect.stringMatching(/^(ok|not-equal)$/), 11] });
    expect(waiter.blockedMs).toBeLessThan(4000);
    expect(notifier.end).toEqual({ kind: 'returned', value: 'notified' });
    expect(run.cells).toEqual([1, 10, 11, 0]);
  });

  it('keeps every increment when 2 threads each do 1,000,000 Atomics.add on one cell', () => {
    const run = runOnce({
      code: COUNTER,
      threadSource: '(exports, shared) => exports.atomicBumps(shared.cells, 1_000_000)',
    });
    expect(run.outcome?.status).toBe('completed');
    expect(run.cells[0]).toBe(2_000_000);
    expect(run.outcome?.threads.map((thread) => thread.threadId)).toEqual([1, 2]);
  });

  it('can lose increments of an unsynchronised c[0] = c[0] + 1 with 4 threads released together', () => {
    const runs = runThreadsInChild({
      code: COUNTER,
      threadCount: 4,
      threadSource: '(exports, shared) => exports.racyBumps(shared.cells, 1_000_000)',
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
      threadSource: '(exports, shared) => exports.sleepForever(shared.cells)',
      limits: { ...LIMITS, wallTimeMs: 500 },
    });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(run.outcome?.status).toBe('timeout');
    for (const thread of run.outcome?.threads ?? []) {
      expect(thread).toMatchObject({ end: { kind: 'stopped' }, blockedAtEnd: true });
      expect(thread.cpuMs).toBeLessThan(100);
    }
    expect(run.liveIsolatesAfter).toBe(0);
  });

  it('stops a thread that spins forever at the deadline, and says it was not blocked', () => {
    const run = runOnce({
      code: 'export function spin() { for (;;); }',
      threadCount: 1,
      threadSource: '(exports) => exports.spin()',
      limits: { ...LIMITS, wallTimeMs: 300 },
    });
    expect(run.outcome?.status).toBe('timeout');
    expect(run.outcome?.threads[0]).toMatchObject({ end: { kind: 'stopped' }, blockedAtEnd: false });
    expect(run.liveIsolatesAfter).toBe(0);
  });

  it('gives a thread sleeping in Atomics.wait near zero CPU and a spinning thread about its wall time', () => {
    const run = runOnce({
      code: `export function sleep(cells: Int32Array) { return Atomics.wait(cells, 2, 0, 400); }
        export function spin(ms: number) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return n > 0; }`,
      threadSource:
        '(exports, shared, thread) => (thread.index === 0 ? exports.sleep(shared.cells) : exports.spin(400))',
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
    const threadSource = '(exports) => exports.ok';
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
      threadSource: '(exports, shared, thread) => (exports.atomicBumps(shared.cells, 1000), thread.threadId)',
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
      threadSource: '(exports, shared) => Atomics.add(shared.cells, 0, 1)',
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
      threadSource: '(exports, shared, thread) => exports.work(thread.index)',
    });
    expect(run.outcome?.status).toBe('completed');
    expect(run.outcome?.threads.map((thread) => thread.end)).toEqual([
      { kind: 'returned', value: 0 },
      { kind: 'threw', phase: 'run', message: 'Error: thread 1 failed', location: { line: 2, column: 26 } },
    ]);
  });

  it('ends the run as memory_limit when one thread passes its memory, and stops the others', () => {
    const run = runOnce({
      code: `export function hoard() { const kept: number[][] = []; for (;;) kept.push(new Array(10000).fill(1.5)); }
        export function sleep(cells: Int32Array) { Atomics.wait(cells, 3, 0); }`,
      threadSource:
        '(exports, shared, thread) => (thread.index === 0 ? exports.hoard() : exports.sleep(shared.cells))',
    });
    expect(run.outcome?.status).toBe('memory_limit');
    expect(run.outcome?.threads.map((thread) => thread.end.kind)).toEqual(['memory_limit', 'stopped']);
    expect(run.liveIsolatesAfter).toBe(0);
  });
});
