/**
 * Controlled runs through dist/ (isolated-vm cannot load inside Jest): each case is a child `node`
 * running __fixtures__/run-controlled.js with a list of schedules. Shared arrays are Int32 cells the
 * fixture allocated; their final contents come back with each run's outcome.
 */
import { mixedSchedules, runControlledInChild } from './__fixtures__/controlled-in-child';

const CODE = `
export function racy(cells: Int32Array, rounds: number) { for (let i = 0; i < rounds; i++) cells[0] = cells[0] + 1; }
export function atomic(cells: Int32Array, rounds: number) { for (let i = 0; i < rounds; i++) Atomics.add(cells, 0, 1); }
export class Mutex {
  constructor(private state: Int32Array, private index = 0) {}
  lock() { while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0) Atomics.wait(this.state, this.index, 1); }
  unlock() { Atomics.store(this.state, this.index, 0); Atomics.notify(this.state, this.index, 1); }
}
export class SilentMutex extends Mutex {
  unlockQuietly(state: Int32Array) { Atomics.store(state, 0, 0); }
}
export function locked(state: Int32Array, cells: Int32Array, rounds: number) {
  const mutex = new Mutex(state);
  for (let i = 0; i < rounds; i++) { mutex.lock(); cells[0] = cells[0] + 1; mutex.unlock(); }
}
export function lostWakeUp(state: Int32Array, cells: Int32Array, rounds: number) {
  for (let i = 0; i < rounds; i++) {
    while (Atomics.compareExchange(state, 0, 0, 1) !== 0) Atomics.wait(state, 0, 1);
    cells[0] = cells[0] + 1;
    Atomics.store(state, 0, 0); // no notify: a sleeper may never wake
  }
}
export function relock(state: Int32Array) { const mutex = new Mutex(state); mutex.lock(); mutex.lock(); }
export function spinLocked(state: Int32Array, cells: Int32Array, rounds: number) {
  for (let i = 0; i < rounds; i++) {
    while (Atomics.compareExchange(state, 0, 0, 1) !== 0) {}
    cells[0] = cells[0] + 1;
    Atomics.store(state, 0, 0);
  }
}
`;
const ARRAYS = { cells: 4, state: 4 };
const body = (call: string) => `(tools) => (exports, shared) => ${call}`;

describe('controlled runs: one thread moves at a time, as the schedule says', () => {
  it('finds lost increments of c[0] = c[0] + 1 and replays every run exactly from its schedule', () => {
    const request = {
      code: CODE,
      threadCount: 3,
      threadSource: body('exports.racy(new Int32Array(shared.cells), 5)'),
      arrays: ARRAYS,
      schedules: mixedSchedules(40, 3),
    };
    const first = runControlledInChild(request);
    const again = runControlledInChild(request);
    const totals = first.runs.map((run) => run.arrays.cells[0]);
    expect(first.runs.every((run) => run.outcome.status === 'completed')).toBe(true);
    expect(totals.some((total) => total < 15)).toBe(true);
    expect(totals.every((total) => total >= 2 && total <= 15)).toBe(true);
    // Same schedule, same interleaving: the totals and the traces repeat step by step.
    expect(again.runs.map((run) => run.arrays.cells[0])).toEqual(totals);
    expect(again.runs.map((run) => run.outcome.trace)).toEqual(first.runs.map((run) => run.outcome.trace));
    const lossy = first.runs.find((run) => run.arrays.cells[0] < 15)!;
    // Each increment is a read step then a write step, in the trace with the values seen.
    const kinds = new Set(lossy.outcome.trace.map((step) => step.kind));
    expect([...kinds].sort()).toEqual(['finish', 'read', 'write']);
    expect(lossy.outcome.trace.find((step) => step.kind === 'read')).toMatchObject({
      buffer: 'cells',
      index: 0,
    });
    expect(first.liveIsolatesAfter).toBe(0);
    expect(first.runs.at(-1)!.sessions).toBe(1);
  });

  it('never loses an Atomics.add or a mutex-guarded increment, under random and PCT schedules', () => {
    const runs = (threadSource: string) =>
      runControlledInChild({
        code: CODE,
        threadCount: 3,
        threadSource,
        arrays: ARRAYS,
        schedules: mixedSchedules(60, 3),
      }).runs;
    const atomic = runs(body('exports.atomic(new Int32Array(shared.cells), 5)'));
    const locked = runs(
      body('exports.locked(new Int32Array(shared.state), new Int32Array(shared.cells), 5)'),
    );
    for (const run of [...atomic, ...locked]) {
      expect(run.outcome.status).toBe('completed');
      expect(run.arrays.cells[0]).toBe(15);
    }
    // The mutex made threads sleep and wake: waits and wake-ups are steps of the trace.
    const kinds = new Set(locked.flatMap((run) => run.outcome.trace.map((step) => step.kind)));
    for (const kind of ['compareExchange', 'read', 'write', 'store', 'notify', 'wait', 'woken', 'finish'])
      expect(kinds).toContain(kind);
  });

  it('proves a deadlock when no thread can move, names where each sleeps, and starts a new session after it', () => {
    const result = runControlledInChild({
      code: CODE,
      threadCount: 2,
      threadSource: body('exports.relock(new Int32Array(shared.state))'),
      arrays: ARRAYS,
      schedules: mixedSchedules(4, 2),
    });
    for (const run of result.runs) {
      expect(run.outcome.status).toBe('deadlock');
      for (const thread of run.outcome.threads) {
        expect(thread.end).toEqual({ kind: 'stopped' });
        expect(thread.waitingOn).toEqual({
          buffer: 'state',
          index: 0,
          expected: 1,
          current: 1,
          timeoutMs: null,
        });
      }
    }
    expect(result.runs.map((run) => run.sessions)).toEqual([1, 2, 3, 4]);
    expect(result.liveIsolatesAfter).toBe(0);
  });

  it('finds the deadlock of an unlock that never notifies, and never calls a correct mutex deadlocked', () => {
    const schedules = mixedSchedules(60, 3);
    const lost = runControlledInChild({
      code: CODE,
      threadCount: 3,
      threadSource: body('exports.lostWakeUp(new Int32Array(shared.state), new Int32Array(shared.cells), 3)'),
      arrays: ARRAYS,
      schedules,
    }).runs;
    const deadlocked = lost.filter((run) => run.outcome.status === 'deadlock');
    expect(deadlocked.length).toBeGreaterThan(0);
    // At the deadlock the lock is free but the sleepers were never told: they wait for a 1 that is now 0.
    const sleeper = deadlocked[0].outcome.threads.find((thread) => thread.waitingOn)!;
    expect(sleeper.waitingOn).toMatchObject({ buffer: 'state', expected: 1, current: 0 });
  });

  it('models a timed wait on the virtual clock: it times out only when nobody else can move, without sleeping', () => {
    const result = runControlledInChild({
      code: `export function nap(cells: Int32Array): unknown {
        const before = Date.now();
        const outcome = Atomics.wait(cells, 0, 0, 60_000);
        return [outcome, Date.now() - before];
      }`,
      threadCount: 1,
      threadSource: body('exports.nap(new Int32Array(shared.cells))'),
      arrays: ARRAYS,
      schedules: mixedSchedules(1, 1),
    });
    const run = result.runs[0];
    expect(run.outcome.status).toBe('completed');
    expect(run.outcome.threads[0].end).toEqual({ kind: 'returned', value: ['timed-out', 60_000] });
    expect(run.outcome.wallMs).toBeLessThan(1000);
  });

  it('demotes a spinning thread under PCT so a spin lock still finishes, and stops a spin nobody ends at the step limit', () => {
    const spin = runControlledInChild({
      code: CODE,
      threadCount: 2,
      threadSource: body('exports.spinLocked(new Int32Array(shared.state), new Int32Array(shared.cells), 3)'),
      arrays: ARRAYS,
      schedules: mixedSchedules(10, 2),
      limits: { spinLimit: 200 },
    }).runs;
    for (const run of spin) {
      expect(run.outcome.status).toBe('completed');
      expect(run.arrays.cells[0]).toBe(6);
    }
    const forever = runControlledInChild({
      code: 'export function forever(cells: Int32Array) { while (Atomics.load(cells, 0) === 0) {} }',
      threadCount: 1,
      threadSource: body('exports.forever(new Int32Array(shared.cells))'),
      arrays: ARRAYS,
      schedules: mixedSchedules(1, 1),
      limits: { maxSteps: 5000 },
    }).runs[0];
    expect(forever.outcome.status).toBe('step-limit');
    expect(forever.outcome.steps).toBe(5001);
  });

  it('ends a thread that computes forever without a step as a timeout, and disposes every isolate', () => {
    const result = runControlledInChild({
      code: 'export function busy() { for (;;) {} }',
      threadCount: 2,
      threadSource: body('exports.busy()'),
      arrays: ARRAYS,
      schedules: mixedSchedules(1, 2),
      wallTimeMs: 300,
    });
    expect(result.runs[0].outcome.status).toBe('timeout');
    expect(result.liveIsolatesAfter).toBe(0);
  });

  it('schedules views the submission builds itself: from .buffer, by subclass, with methods as one step', () => {
    const result = runControlledInChild({
      code: `class Cells extends Int32Array {}
      export function build(given: Int32Array): unknown {
        const own = new Int32Array(given.buffer);
        const sub = new Cells(given.buffer, 4, 2);
        own[0] = 7;
        sub.fill(3);
        return [own instanceof Int32Array, sub instanceof Cells, own.length, sub[0], given[2], Object.prototype.toString.call(own), ArrayBuffer.isView(given)];
      }`,
      threadCount: 1,
      threadSource:
        '(tools) => (exports, shared) => exports.build(tools.scheduled(new Int32Array(shared.cells)))',
      arrays: ARRAYS,
      schedules: mixedSchedules(1, 1),
    });
    const run = result.runs[0];
    expect(run.outcome.threads[0].end).toEqual({
      kind: 'returned',
      value: [true, true, 4, 3, 3, '[object Int32Array]', true],
    });
    expect(run.arrays.cells).toEqual([7, 3, 3, 0]);
    expect(run.outcome.trace.map((step) => step.kind)).toEqual(['write', 'call', 'read', 'read', 'finish']);
  });
});
