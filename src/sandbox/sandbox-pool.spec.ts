/**
 * End-to-end through real sandbox processes: needs the compiled dist/ (`npm test` builds it first).
 */
import { join, resolve } from 'node:path';
import type { GradeReport } from '../grading/grade-report';
import { SandboxPool } from './sandbox-pool';

const REPO = resolve(__dirname, '../..');
const fixtures = {
  exercisesDir: join(REPO, 'src/sandbox/__fixtures__/exercises'),
  gradersDir: join(REPO, 'dist/src/sandbox/__fixtures__/graders'),
};
const CORRECT = `
export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>): Promise<string[]> {
  return Promise.all(urls.map((url) => fetchData(url).catch((error: Error) => 'error: ' + error.message)));
}
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForProcess(pool: SandboxPool, notPid?: number): Promise<number> {
  for (;;) {
    const pid = pool.processIds().find((candidate) => candidate !== notPid);
    if (pid !== undefined) return pid;
    await new Promise((done) => setTimeout(done, 10));
  }
}

describe('SandboxPool grading the fixture exercise', () => {
  const pool = new SandboxPool({ size: 1, ...fixtures });
  const grade = (code: string, seed?: string) => pool.grade({ exercise: 'fixture-fetch', code, seed });
  afterAll(() => pool.close());

  it('passes a correct solution, and regrading the same file gives the same report', async () => {
    const first = await grade(CORRECT);
    expect(first.status).toBe('passed');
    expect(first.score).toBe(first.maxScore);
    const { durationMs: _first, ...firstWithoutTime } = first;
    const { durationMs: _second, ...secondWithoutTime } = await grade(CORRECT);
    expect(secondWithoutTime).toEqual(firstWithoutTime);
    expect(first.graderVersion).toMatch(/^0\.1\.0\+[0-9a-f]{8}$/);
  });

  it('gives the same report again for a submission that reads Math.random and the clock, and another report for another seed', async () => {
    const noisy = `
      console.log(Math.random(), Date.now(), new Date().toISOString());
      ${CORRECT}`;
    const first = await grade(noisy, 'seed-a');
    const { durationMs: _first, ...firstWithoutTime } = first;
    const { durationMs: _again, ...againWithoutTime } = await grade(noisy, 'seed-a');
    expect(againWithoutTime).toEqual(firstWithoutTime);
    expect(first.console![0]).toMatch(/^0\.\d+ 1735689600000 2025-01-01T00:00:00\.000Z$/);
    expect((await grade(noisy, 'seed-b')).console![0]).not.toBe(first.console![0]);
  });

  it('fails only the concurrency check when the fetches are awaited one after another', async () => {
    const report = await grade(`
      export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>) {
        const bodies: string[] = [];
        for (const url of urls) bodies.push(await fetchData(url).catch((e: Error) => 'error: ' + e.message));
        return bodies;
      }`);
    expect(report.status).toBe('failed');
    expect(report.checks.filter((check) => check.status === 'failed').map((check) => check.id)).toEqual([
      'concurrency',
    ]);
    expect(report.checks.find((check) => check.id === 'concurrency')!.message).toMatch(
      /finished at \d+ ms of virtual time/,
    );
  });

  it('records an unhandled rejection when a later fetch fails while an earlier one is still awaited', async () => {
    const report = await grade(`
      export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>) {
        const pending = urls.map((url) => fetchData(url));
        const bodies: string[] = [];
        for (const promise of pending) bodies.push(await promise.catch((e: Error) => 'error: ' + e.message));
        return bodies;
      }`);
    expect(report.checks.find((check) => check.id === 'no-unhandled-rejection')!.status).toBe('failed');
    expect(report.checks.find((check) => check.id === 'failure-as-text')!.status).toBe('passed');
  });

  it('reports a compile error with its line and column', async () => {
    const report = await grade(
      'export function fetchEach(urls: string[]) {\n  return urls.map((u) => );\n}\n',
    );
    expect(report.status).toBe('compile_error');
    expect(report.error!.location).toEqual({ line: 2, column: 26 });
    expect(report.checks.every((check) => check.status === 'skipped')).toBe(true);
  });

  it("reports a module that throws on load as a runtime error on the student's own line", async () => {
    const report = await grade(
      'type Url = string;\n\nconst table: Record<Url, string> = {};\nthrow new Error("not ready: " + Object.keys(table).length);\n',
    );
    expect(report.status).toBe('runtime_error');
    expect(report.error!.message).toContain('not ready: 0');
    expect(report.error!.location).toEqual({ line: 4, column: 7 });
  });

  it('names the missing export', async () => {
    const report = await grade('export async function fetchAll() { return []; }\n');
    expect(report.status).toBe('runtime_error');
    expect(report.error!.message).toBe('solution.ts does not export a function named fetchEach');
  });

  it("reports an exception thrown in a timer callback with the student's line", async () => {
    const report = await grade(
      'export function fetchEach() {\n  setTimeout(() => {\n    (null as any).boom();\n  }, 5);\n  return new Promise(() => {});\n}\n',
    );
    expect(report.status).toBe('runtime_error');
    expect(report.error!.message).toMatch(/uncaught exception in a callback: TypeError/);
    expect(report.error!.location?.line).toBe(3);
  });

  it('leaves process, require, fetch and WebAssembly undefined, and keeps the grader runtime out of reach', async () => {
    const report = await grade(`
      console.log(typeof process, typeof require, typeof fetch, typeof WebAssembly, typeof globalThis.ivm, Object.keys(globalThis).join(','));
      ${CORRECT}`);
    expect(report.status).toBe('passed');
    expect(report.console![0]).toBe('undefined undefined undefined undefined undefined ');
  });

  it('still grades correctly when the submission replaces Promise.prototype.then and Array.prototype.push', async () => {
    const report = await grade(`
      const originalThen = Promise.prototype.then;
      Promise.prototype.then = function (this: Promise<unknown>, onFulfilled?: any, onRejected?: any) { return originalThen.call(this, onFulfilled, onRejected); } as any;
      Array.prototype.push = function () { throw new Error('push is gone'); };
      ${CORRECT}`);
    expect(report.status).toBe('passed');
  });

  it('gives a timeout for an endless loop at load', async () => {
    const report = await grade('while (true) {}\nexport function fetchEach() {}\n');
    expect(report.status).toBe('timeout');
  });

  it('gives a timeout for while(true) inside a timer callback', async () => {
    const report = await grade(
      'export function fetchEach() {\n  return new Promise(() => setTimeout(() => { while (true) {} }, 10));\n}\n',
    );
    expect(report.status).toBe('timeout');
  });

  it('gives memory_limit for a heap bomb', async () => {
    const report = await grade(
      'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(10000).fill(1));\nexport function fetchEach() {}\n',
    );
    expect(report.status).toBe('memory_limit');
  });

  it('gives output_limit for a console flood, keeping what fit in the budget', async () => {
    const report = await grade(
      'for (let i = 0; ; i++) { try { console.log("line " + i); } catch {} }\nexport function fetchEach() {}\n',
    );
    expect(report.status).toBe('output_limit');
    expect(report.console!.join('\n').length).toBeLessThanOrEqual(2000);
    expect(report.console![0]).toBe('line 0');
  });

  it('rejects an unknown exercise slug', async () => {
    await expect(pool.grade({ exercise: 'no-such-exercise', code: CORRECT })).rejects.toThrow(
      "unknown exercise 'no-such-exercise'",
    );
  });
});

describe('SandboxPool when its processes die', () => {
  // Long enough to be killed mid-job: the module blocks for 600 ms of real time while loading
  // (Atomics.wait sleeps for real; Date.now() follows the virtual clock, which stands still at load).
  const SLOW_CORRECT = `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);\n${CORRECT}`;

  it('retries a job once on a fresh process after a SIGKILL and leaves no process behind on close()', async () => {
    const pool = new SandboxPool({ size: 1, ...fixtures });
    const pending = pool.grade({ exercise: 'fixture-fetch', code: SLOW_CORRECT });
    const firstPid = await waitForProcess(pool);
    await new Promise((done) => setTimeout(done, 300));
    process.kill(firstPid, 'SIGKILL');
    const report: GradeReport = await pending;
    expect(report.status).toBe('passed');
    const secondPid = pool.processIds()[0];
    expect(secondPid).not.toBe(firstPid);
    await pool.close();
    expect(isAlive(firstPid)).toBe(false);
    expect(isAlive(secondPid)).toBe(false);
    expect(pool.processIds()).toEqual([]);
  });

  it('turns a second crash of the same job into the verdict', async () => {
    const pool = new SandboxPool({ size: 1, ...fixtures });
    const pending = pool.grade({ exercise: 'fixture-fetch', code: SLOW_CORRECT });
    const firstPid = await waitForProcess(pool);
    await new Promise((done) => setTimeout(done, 300));
    process.kill(firstPid, 'SIGKILL');
    const secondPid = await waitForProcess(pool, firstPid);
    await new Promise((done) => setTimeout(done, 300));
    process.kill(secondPid, 'SIGKILL');
    const report = await pending;
    expect(report.status).toBe('memory_limit');
    expect(report.error!.message).toMatch(/killed/);
    expect(report.checks.every((check) => check.status === 'skipped')).toBe(true);
    await pool.close();
    expect(pool.processIds()).toEqual([]);
  });

  it('kills a process that overruns its wall limit and reports a timeout', async () => {
    const pool = new SandboxPool({ size: 1, killMarginMs: -1500, ...fixtures }); // 2000 - 1500 = 500 ms, under the in-isolate limit
    const report = await pool.grade({
      exercise: 'fixture-fetch',
      code: 'while (true) {}\nexport function fetchEach() {}\n',
    });
    expect(report.status).toBe('timeout');
    expect(report.error!.message).toMatch(/sandbox process was stopped/);
    await pool.close();
  });
});
