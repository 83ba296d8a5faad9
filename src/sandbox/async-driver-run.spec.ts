/**
 * runAsyncDriverScenario through dist/ (see __fixtures__/grading-job.ts). The drivers here are
 * written the way graders write them: source text, built-ins captured by the factory.
 */
import type { DriverRunEvidence } from '../../graders/grader-api';
import { gradingJob } from './__fixtures__/grading-job';
import type { ScenarioRequest } from './__fixtures__/run-scenarios';

/** Starts one operation per entry of input.calls: [label, method, args, delayMs?] on `new exports.Box(services.fetch)`. */
const BOX_DRIVER = String(() => {
  const apply = Reflect.apply;
  return (
    exports: Record<string, unknown>,
    services: Record<string, unknown>,
    tools: { operation(label: string, start: () => unknown, delayMs?: number): void },
    input: { calls: [string, string, unknown[], number?][] },
  ) => {
    const Box = exports.Box as new (fetch: unknown) => Record<string, (...args: unknown[]) => unknown>;
    const box = new Box(services.fetch);
    // Indexes, not destructuring: the submission may have replaced Array.prototype[Symbol.iterator].
    for (let i = 0; i < input.calls.length; i++) {
      const call = input.calls[i];
      tools.operation(call[0], () => apply(box[call[1]], box, call[2]), call[3]);
    }
  };
});

function driverRun(code: string, scenario: Partial<ScenarioRequest>): DriverRunEvidence {
  const [outcome] = gradingJob(code, [{ driver: BOX_DRIVER, ...scenario }]);
  if (!('driverEvidence' in outcome)) throw new Error(`expected evidence, got ${JSON.stringify(outcome)}`);
  return outcome.driverEvidence;
}

function verdictOf(code: string, scenario: Partial<ScenarioRequest>) {
  const [outcome] = gradingJob(code, [{ driver: BOX_DRIVER, ...scenario }]);
  if (!('verdict' in outcome)) throw new Error(`expected a verdict, got ${JSON.stringify(outcome)}`);
  return outcome.verdict;
}

const FETCH = { fetch: { kind: 'io' as const, latenciesMs: [30, 10] } };

describe('runAsyncDriverScenario: operations', () => {
  it('records each operation with its label, start and settle times and outcome, on the host', () => {
    const evidence = driverRun(
      `export class Box {
        constructor(private fetch: (key: string) => Promise<string>) {}
        async get(key: string) { return (await this.fetch(key)).toUpperCase(); }
        async fail(why: string) { await this.fetch(why); throw new RangeError(why); }
        throwAtOnce() { throw new Error('not even a promise'); }
        plain() { return 7; }
      }`,
      {
        services: FETCH,
        input: {
          calls: [
            ['get(a)', 'get', ['a']],
            ['fail(b)', 'fail', ['b']],
            ['throwAtOnce()', 'throwAtOnce', []],
            ['plain()', 'plain', []],
            ['get(c) later', 'get', ['c'], 100],
          ],
        },
      },
    );
    expect(evidence.end).toBe('completed');
    expect(evidence.waiting).toEqual([]);
    expect(evidence.operations).toEqual([
      {
        index: 0,
        label: 'get(a)',
        startedAtMs: 0,
        settledAtMs: 30,
        outcome: { kind: 'resolved', value: 'FETCH:A' },
      },
      {
        index: 1,
        label: 'fail(b)',
        startedAtMs: 0,
        settledAtMs: 10,
        outcome: { kind: 'rejected', message: 'b' },
      },
      {
        index: 2,
        label: 'throwAtOnce()',
        startedAtMs: 0,
        settledAtMs: 0,
        outcome: { kind: 'rejected', message: 'not even a promise' },
      },
      { index: 3, label: 'plain()', startedAtMs: 0, settledAtMs: 0, outcome: { kind: 'resolved', value: 7 } },
      {
        index: 4,
        label: 'get(c) later',
        startedAtMs: 100,
        settledAtMs: 130,
        outcome: { kind: 'resolved', value: 'FETCH:C' },
      },
    ]);
    expect(evidence.endedAtMs).toBe(130);
  });

  it('reports an async deadlock and names the operations still waiting when nothing is left to happen', () => {
    const evidence = driverRun(
      `const waiters: (() => void)[] = [];
      export class Box {
        constructor(private fetch: (key: string) => Promise<string>) {}
        async first() { await this.fetch('x'); return 1; }
        async stuck(name: string) { await this.fetch(name); await new Promise<void>((resolve) => waiters.push(resolve)); }
      }`,
      {
        services: FETCH,
        input: {
          calls: [
            ['first()', 'first', []],
            ['stuck(a → b)', 'stuck', ['a']],
            ['stuck(b → a)', 'stuck', ['b'], 5],
          ],
        },
      },
    );
    expect(evidence.end).toBe('deadlock');
    expect(evidence.endedAtMs).toBe(35);
    expect(evidence.waiting.map((operation) => [operation.label, operation.startedAtMs])).toEqual([
      ['stuck(a → b)', 0],
      ['stuck(b → a)', 5],
    ]);
    expect(evidence.operations[0].outcome).toEqual({ kind: 'resolved', value: 1 });
    expect(evidence.waiting[0].outcome).toEqual({ kind: 'waiting' });
  });

  it('stops at the virtual time cap when an operation waits on a timer far away', () => {
    const evidence = driverRun(
      `export class Box { slow() { return new Promise((resolve) => setTimeout(resolve, 10_000)); } }`,
      { maxVirtualMs: 1000, input: { calls: [['slow()', 'slow', []]] } },
    );
    expect(evidence.end).toBe('virtual-time-cap');
    expect(evidence.waiting.map((operation) => operation.label)).toEqual(['slow()']);
  });

  it("ends grading with the student's line when their constructor throws while the driver sets up", () => {
    const verdict = verdictOf(
      'export class Box {\n  constructor() {\n    throw new Error("no store");\n  }\n}\n',
      {
        input: { calls: [] },
      },
    );
    expect(verdict.status).toBe('runtime_error');
    expect(verdict.message).toMatch(/^the submission threw while the grader set up the run: Error: no store/);
    expect(verdict.location).toEqual({ line: 3, column: 11 });
  });

  it("calls a driver that is not a function expression the grader's bug", () => {
    const verdict = verdictOf('export class Box {}', { driver: 'run() { return 1; }', input: { calls: [] } });
    expect(verdict.status).toBe('internal_error');
    expect(verdict.message).toMatch(/^grader bug: the driver code is not a function expression/);
  });
});

/** A heartbeat as responsive-digest keeps one: a grader timeout that re-queues itself and marks each tick. */
const HEARTBEAT_DRIVER = String(() => {
  return (
    exports: Record<string, unknown>,
    services: Record<string, unknown>,
    tools: {
      operation(label: string, start: () => unknown): void;
      setTimeout(callback: () => void, delayMs: number): void;
      mark(label: string): void;
    },
    input: { items: string[] },
  ) => {
    const tick = () => {
      tools.mark('tick');
      tools.setTimeout(tick, 0);
    };
    tools.setTimeout(tick, 0);
    const run = exports.run as (items: string[], digest: unknown) => unknown;
    tools.operation('run', () => run(input.items, services.digest));
  };
});

describe('runAsyncDriverScenario: grader timers, marks and CPU-bound services', () => {
  const digestScenario = (items: string[]): Partial<ScenarioRequest> => ({
    driver: HEARTBEAT_DRIVER,
    services: { digest: { kind: 'cpu', costMs: 4 } },
    input: { items },
  });

  it('moves the virtual clock by the cost of each CPU-bound call, and places the ticks among the calls', () => {
    const [outcome] = gradingJob(
      `export async function run(items: string[], digest: (item: string) => string) {
        const out: string[] = [];
        for (const item of items) {
          out.push(digest(item));
          await new Promise((resolve) => setImmediate(resolve));
        }
        return [out, performance.now()];
      }`,
      [digestScenario(['a', 'b', 'c'])],
    );
    if (!('driverEvidence' in outcome)) throw new Error(JSON.stringify(outcome));
    const evidence = outcome.driverEvidence;
    expect(evidence.operations[0].outcome).toEqual({
      kind: 'resolved',
      value: [['digest(a)', 'digest(b)', 'digest(c)'], 12],
    });
    expect(evidence.calls.map((call) => [call.args[0], call.startedAtMs, call.settledAtMs])).toEqual([
      ['a', 0, 4],
      ['b', 4, 8],
      ['c', 8, 12],
    ]);
    expect(evidence.marks.map((mark) => mark.callsBefore)).toEqual([1, 2, 3]);
    expect(evidence.end).toBe('completed');
  });

  it('runs a timer that came due during CPU work before an immediate set before that work (timers phase, then check)', () => {
    const [outcome] = gradingJob(
      `export function run(items: string[], digest: (item: string) => string) {
        return new Promise((resolve) => {
          let next = 0;
          const step = () => {
            if (next >= items.length) return resolve(next);
            setImmediate(step);
            digest(items[next++]);
            digest(items[next++]);
          };
          step();
        });
      }`,
      [digestScenario(['a', 'b', 'c', 'd', 'e', 'f'])],
    );
    if (!('driverEvidence' in outcome)) throw new Error(JSON.stringify(outcome));
    expect(outcome.driverEvidence.marks.map((mark) => [mark.atMs, mark.callsBefore])).toEqual([
      [8, 2],
      [16, 4],
      [24, 6],
    ]);
  });

  it('never lets grader timers keep the run alive, and the submission cannot clear them', () => {
    const [outcome] = gradingJob(
      `export function run(items: string[], digest: (item: string) => string) {
        for (let id = 0; id < 50; id++) { clearTimeout(id); clearInterval(id); clearImmediate(id); }
        return new Promise((resolve) => setTimeout(() => resolve(digest(items[0])), 5));
      }
      export class Never {}`,
      [digestScenario(['a'])],
    );
    if (!('driverEvidence' in outcome)) throw new Error(JSON.stringify(outcome));
    // At 5 ms the submission's timer (scheduled at 0) fires before the tick re-queued at 4: FIFO, as in Node.
    expect(outcome.driverEvidence.marks.map((mark) => mark.atMs)).toEqual([1, 2, 3, 4]);
    expect(outcome.driverEvidence.end).toBe('completed');

    const [stuck] = gradingJob('export function run() { return new Promise(() => {}); }', [
      digestScenario([]),
    ]);
    if (!('driverEvidence' in stuck)) throw new Error(JSON.stringify(stuck));
    expect(stuck.driverEvidence.end).toBe('deadlock');
    expect(stuck.driverEvidence.marks).toEqual([]);
  });

  it("keeps the driver's captured built-ins when the submission replaces the globals", () => {
    const [outcome] = gradingJob(
      `Reflect.apply = () => { throw new Error('hijacked'); };
      Array.prototype[Symbol.iterator] = function* () { yield 'forged'; };
      export class Box { get(key: string) { return 'got ' + key; } }`,
      [{ driver: BOX_DRIVER, input: { calls: [['get(a)', 'get', ['a']]] } }],
    );
    if (!('driverEvidence' in outcome)) throw new Error(JSON.stringify(outcome));
    expect(outcome.driverEvidence.operations[0].outcome).toEqual({ kind: 'resolved', value: 'got a' });
  });
});
