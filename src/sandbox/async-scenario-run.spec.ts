/**
 * Runs through dist/ (isolated-vm cannot load inside Jest's module sandbox): each job is a child
 * `node` running the compiled __fixtures__/run-scenarios.js, all its scenarios in one isolate.
 */
import { seededRandom, seedState } from '../grading/seeded-random';
import { gradingJob } from './__fixtures__/grading-job';
import { VIRTUAL_EPOCH_MS } from './async-scenario-run';

function resultOf(code: string) {
  const [outcome] = gradingJob(code, [{}]);
  if (!('evidence' in outcome)) throw new Error(`expected a result, got ${JSON.stringify(outcome)}`);
  return outcome.evidence.result;
}

function verdictOf(code: string) {
  const [outcome] = gradingJob(code, [{}]);
  if (!('verdict' in outcome)) throw new Error(`expected a verdict, got ${JSON.stringify(outcome)}`);
  return outcome.verdict;
}

describe('runAsyncScenario: clocks and randomness inside the isolate', () => {
  it('makes Date.now() and new Date() follow the virtual clock from a fixed epoch, like performance.now()', () => {
    const result = resultOf(`
      export async function run() {
        const atStart = [Date.now(), new Date().getTime(), performance.now()];
        await new Promise((resolve) => setTimeout(resolve, 250));
        return [...atStart, Date.now(), new Date().getTime(), performance.now(), performance.timeOrigin];
      }`);
    expect(result).toEqual({
      kind: 'resolved',
      value: [
        VIRTUAL_EPOCH_MS,
        VIRTUAL_EPOCH_MS,
        0,
        VIRTUAL_EPOCH_MS + 250,
        VIRTUAL_EPOCH_MS + 250,
        250,
        VIRTUAL_EPOCH_MS,
      ],
    });
  });

  it('keeps the rest of Date as built in: explicit dates, Date() as text, instanceof and subclasses', () => {
    const result = resultOf(`
      class Stamp extends Date {}
      export function run() {
        return [new Date(0).toISOString(), Date.UTC(2000, 0, 1), Date.parse('2000-01-01T00:00:00Z'), typeof Date(), Date() === new Date().toString(),
          new Date() instanceof Date, new Stamp() instanceof Date, new Stamp().getTime(), new Date().constructor === Date, Date.length];
      }`);
    expect(result).toEqual({
      kind: 'resolved',
      value: [
        '1970-01-01T00:00:00.000Z',
        946684800000,
        946684800000,
        'string',
        true,
        true,
        true,
        VIRTUAL_EPOCH_MS,
        true,
        7,
      ],
    });
  });

  it("gives Math.random the grader's seeded generator: the same state draws the same numbers, another state others", () => {
    const code = 'export function run() { return [Math.random(), Math.random(), Math.random()]; }';
    const [first, again, other] = gradingJob(code, [
      { randomState: seedState('seed-1', 'math-random/0') },
      { randomState: seedState('seed-1', 'math-random/0') },
      { randomState: seedState('seed-2', 'math-random/0') },
    ]);
    const host = seededRandom('seed-1', 'math-random/0');
    expect(first).toMatchObject({
      evidence: { result: { kind: 'resolved', value: [host(), host(), host()] } },
    });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});

describe("runAsyncScenario: the submission's own unhandled rejections", () => {
  it('ends the run with a runtime error naming the reason and the line, as Node ends the program', () => {
    const verdict = verdictOf(
      'export async function run() {\n  Promise.reject(new RangeError("forgotten"));\n  return 1;\n}\n',
    );
    expect(verdict.status).toBe('runtime_error');
    expect(verdict.message).toMatch(/^unhandled promise rejection: RangeError: forgotten/);
    expect(verdict.location).toEqual({ line: 2, column: 18 });
  });

  it('catches one left behind in a timer callback, with a value that is not an Error', () => {
    const verdict = verdictOf(
      'export function run() {\n  setTimeout(() => { Promise.reject("no such page"); }, 50);\n  return new Promise(() => {});\n}\n',
    );
    expect(verdict.status).toBe('runtime_error');
    expect(verdict.message).toMatch(/^unhandled promise rejection: "no such page"/);
  });

  it('does not report a rejection that gets a handler before the turn ends', () => {
    const result = resultOf(
      'export async function run() {\n  const later = Promise.reject(new Error("x"));\n  await null;\n  return later.catch((e) => e.message);\n}\n',
    );
    expect(result).toEqual({ kind: 'resolved', value: 'x' });
  });

  it("is not fooled by a rejection that carries isolated-vm's own timeout message", () => {
    const verdict = verdictOf(
      'export async function run() {\n  Promise.reject(new Error("Script execution timed out."));\n}\n',
    );
    expect(verdict.status).toBe('runtime_error');
  });
});

describe('runAsyncScenario: scenarios of one grading job share an isolate, never state', () => {
  it('gives every scenario fresh globals, built-ins and module state', () => {
    const [first, second] = gradingJob(
      `
      let calls = 0;
      export function run() {
        const seen = [calls++, typeof (globalThis as any).leftBehind, [1, 2].includes(2)];
        (globalThis as any).leftBehind = 'from an earlier scenario';
        Array.prototype.includes = () => false;
        return seen;
      }`,
      [{}, {}],
    );
    expect(first).toMatchObject({
      evidence: { result: { kind: 'resolved', value: [0, 'undefined', true] } },
    });
    expect(second).toEqual(first);
  });

  it("frees a finished scenario's heap for the next: each may use most of the job's memory limit", () => {
    // About 20 MB of doubles per scenario against the runner's 32 MB limit, five times over.
    const outcomes = gradingJob(
      'const hoard = new Array(2_500_000).fill(1.5);\nexport function run() { return hoard.length; }\n',
      [{}, {}, {}, {}, {}],
    );
    expect(outcomes.map((outcome) => ('evidence' in outcome ? outcome.evidence.result : outcome))).toEqual(
      Array(5).fill({ kind: 'resolved', value: 2_500_000 }),
    );
  });

  it('still gives memory_limit when one scenario alone passes the limit', () => {
    const [outcome] = gradingJob(
      'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(10000).fill(1.5));\nexport function run() {}\n',
      [{}, {}],
    );
    expect(outcome).toMatchObject({ verdict: { status: 'memory_limit' } });
  });
});

describe('runAsyncScenario: Atomics.waitAsync with the isolate as the only agent', () => {
  it('times out on the virtual clock instead of aborting the process', () => {
    const result = resultOf(`
      export async function run() {
        const cells = new Int32Array(new SharedArrayBuffer(8));
        const waited = Atomics.waitAsync(cells, 0, 0, 250);
        const result = await waited.value;
        return [waited.async, result, performance.now()];
      }`);
    expect(result).toEqual({ kind: 'resolved', value: [true, 'timed-out', 250] });
  });

  it('wakes waiters on the notified cell in the order they waited, as many as asked, and counts them', () => {
    const result = resultOf(`
      export async function run() {
        const cells = new Int32Array(new SharedArrayBuffer(8));
        const order = [];
        const waits = [0, 1, 2].map((name) => Atomics.waitAsync(cells, 0, 0, name === 2 ? 1000 : Infinity)
          .value.then((result) => order.push(name + ':' + result + '@' + performance.now())));
        const other = Atomics.waitAsync(cells, 1, 0).value.then((result) => order.push('other:' + result));
        await new Promise((resolve) => setTimeout(resolve, 100));
        const first = Atomics.notify(cells, 0, 2);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const rest = Atomics.notify(cells, 0);
        Atomics.notify(cells, 1, 1);
        await Promise.all([...waits, other]);
        return { first, rest, order };
      }`);
    expect(result).toEqual({
      kind: 'resolved',
      value: { first: 2, rest: 0, order: ['0:ok@100', '1:ok@100', '2:timed-out@1000', 'other:ok'] },
    });
  });

  it("leaves 'not-equal', a zero timeout and bad arguments to the built-in", () => {
    const result = resultOf(`
      export async function run() {
        const cells = new Int32Array(new SharedArrayBuffer(8));
        const notEqual = Atomics.waitAsync(cells, 0, 7, 1000);
        const zero = Atomics.waitAsync(cells, 0, 0, 0);
        let unshared = '';
        try { Atomics.waitAsync(new Int32Array(2), 0, 0, 10); } catch (error) { unshared = error.constructor.name; }
        let outOfRange = '';
        try { Atomics.waitAsync(cells, 5, 0, 10); } catch (error) { outOfRange = error.constructor.name; }
        return [notEqual.async, notEqual.value, zero.async, zero.value, unshared, outOfRange];
      }`);
    expect(result).toEqual({
      kind: 'resolved',
      value: [false, 'not-equal', false, 'timed-out', 'TypeError', 'RangeError'],
    });
  });
});
