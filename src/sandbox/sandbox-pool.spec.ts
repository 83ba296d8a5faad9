/**
 * End-to-end through real sandbox processes: needs the compiled dist/ (`npm test` builds it first).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GradeReport } from '../grading/grade-report';
import type { TimelineEntry, TimelineStep } from './__fixtures__/graders/fixture-timeline';
import { allowedCpus, parseCpuList } from './cpu-list';
import { SandboxPool, type GradeRequest } from './sandbox-pool';

const REPO = resolve(__dirname, '../..');
const fixtures = {
  exercisesDir: join(REPO, 'src/sandbox/__fixtures__/exercises'),
  gradersDir: join(REPO, 'dist/src/sandbox/__fixtures__/graders'),
};
/** Exercises whose grader runs no student code and reports when and where its job ran. */
const timelineFixtures = {
  exercisesDir: join(REPO, 'src/sandbox/__fixtures__/core-exercises'),
  gradersDir: fixtures.gradersDir,
};

/** A job of a timeline exercise: what its grader does travels in the seed. */
function timelineJob(exercise: string, step: TimelineStep): GradeRequest {
  return { exercise, code: 'export const unused = 0;\n', seed: JSON.stringify(step) };
}

function timelineOf(report: GradeReport): TimelineEntry {
  if (report.status !== 'passed') throw new Error(`timeline job ${report.status}: ${report.error?.message}`);
  return JSON.parse(report.checks[0].message) as TimelineEntry;
}

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

/** A sandbox process of the pool (not `notPid`) that has started and been handed its job. */
async function waitForProcess(pool: SandboxPool, notPid?: number): Promise<number> {
  for (;;) {
    const pid = pool.processIds('started').find((candidate) => candidate !== notPid);
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
    await new Promise((done) => setTimeout(done, 150)); // into the 600 ms the module blocks
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
    await new Promise((done) => setTimeout(done, 150)); // into the 600 ms the module blocks
    process.kill(firstPid, 'SIGKILL');
    const secondPid = await waitForProcess(pool, firstPid);
    await new Promise((done) => setTimeout(done, 150)); // into the 600 ms the module blocks
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

describe('SandboxPool replacing processes', () => {
  it('replaces a process after the configured number of jobs', async () => {
    const pool = new SandboxPool({ size: 1, maxJobsPerProcess: 2, ...timelineFixtures });
    const entries: TimelineEntry[] = [];
    for (let i = 0; i < 5; i++)
      entries.push(timelineOf(await pool.grade(timelineJob('timeline-shared', { label: `job ${i}` }))));
    await pool.close();
    const [a, b, c] = [...new Set(entries.map((entry) => entry.pid))];
    expect(entries.map((entry) => entry.pid)).toEqual([a, a, b, b, c]);
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it.each([
    ['a timeout', 'while (true) {}\nexport function fetchEach() {}\n', 'timeout'],
    [
      'a memory-limit verdict',
      'const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(10000).fill(1));\nexport function fetchEach() {}\n',
      'memory_limit',
    ],
  ])('replaces a process after %s reported from inside it', async (_what, code, status) => {
    const pool = new SandboxPool({ size: 1, ...fixtures });
    expect((await pool.grade({ exercise: 'fixture-fetch', code: CORRECT })).status).toBe('passed');
    const [before] = pool.processIds();
    expect((await pool.grade({ exercise: 'fixture-fetch', code })).status).toBe(status);
    expect(pool.processIds()).toEqual([]);
    expect((await pool.grade({ exercise: 'fixture-fetch', code: CORRECT })).status).toBe('passed');
    expect(pool.processIds()).toHaveLength(1);
    expect(pool.processIds()[0]).not.toBe(before);
    await pool.close();
    expect(isAlive(before)).toBe(false);
  });
});

describe('SandboxPool with dedicated cores', () => {
  const hostCores = allowedCpus();
  /** Pinning needs root here (cgroups or taskset of another process). */
  const asRoot = process.getuid?.() === 0;
  const overlaps = (a: TimelineEntry, b: TimelineEntry) =>
    a.startedAtMs < b.endedAtMs && b.startedAtMs < a.endedAtMs;
  const sharesACore = (a: TimelineEntry, b: TimelineEntry) =>
    parseCpuList(a.cpus).some((cpu) => parseCpuList(b.cpus).includes(cpu));

  it('runs a job asking for 2 cores with no other job on its cores: after the jobs running when it came, before the jobs queued behind it when that leaves no core', async () => {
    const logged: [string, boolean][] = [];
    const pool = new SandboxPool({
      size: 3,
      ...timelineFixtures,
      logDedicatedCores: (line, pinned) => logged.push([line, pinned]),
    });
    const grade = (slug: string, label: string) =>
      pool.grade(timelineJob(slug, { label, holdMs: 300 })).then(timelineOf);
    const before = ['before 1', 'before 2', 'before 3'].map((label) => grade('timeline-shared', label));
    const timed = grade('timeline-dedicated-all', 'timed');
    const behind = ['behind 1', 'behind 2', 'behind 3'].map((label) => grade('timeline-shared', label));
    const [dedicated, others] = [await timed, await Promise.all([...before, ...behind])];
    await pool.close();

    const k = Math.min(2, hostCores.length);
    expect(dedicated.dedicatedCores).toBe(k);
    expect(logged).toHaveLength(1);
    expect(logged[0][0]).toMatch(/timeline-dedicated-all/);
    for (const other of others.filter((entry) => overlaps(entry, dedicated)))
      expect({ [other.label]: sharesACore(other, dedicated) }).toEqual({ [other.label]: false });
    if (k === hostCores.length) {
      expect(others.filter((entry) => overlaps(entry, dedicated)).map((entry) => entry.label)).toEqual([]);
      for (const entry of others.filter((other) => other.label.startsWith('behind')))
        expect(entry.startedAtMs).toBeGreaterThanOrEqual(dedicated.endedAtMs);
    }
  });

  // A shared job runs on two cores at least, so this needs a third.
  (asRoot && hostCores.length >= 3 ? it : it.skip)(
    'pins a job asking for 1 core to a core of its own, and a shared job queued behind it runs at the same time on other cores',
    async () => {
      const pool = new SandboxPool({ size: 2, ...timelineFixtures, logDedicatedCores: () => undefined });
      const dir = mkdtempSync(join(tmpdir(), 'lockstep-rendezvous-'));
      const [timedFile, sharedFile] = [join(dir, 'timed'), join(dir, 'shared')];
      const running = pool.grade(timelineJob('timeline-shared', { label: 'running', holdMs: 300 }));
      const timed = pool.grade(
        timelineJob('timeline-dedicated-one', { label: 'timed', touch: timedFile, awaitFile: sharedFile }),
      );
      const behind = pool.grade(
        timelineJob('timeline-shared', { label: 'behind', touch: sharedFile, awaitFile: timedFile }),
      );
      const [first, dedicated, shared] = (await Promise.all([running, timed, behind])).map(timelineOf);
      await pool.close();

      expect(dedicated.dedicatedCores).toBe(1);
      expect(parseCpuList(dedicated.cpus)).toHaveLength(1);
      expect(overlaps(first, dedicated)).toBe(false);
      expect([dedicated.sawAwaitedFile, shared.sawAwaitedFile]).toEqual([true, true]);
      expect(shared.dedicatedCores).toBe(0);
      expect(sharesACore(shared, dedicated)).toBe(false);
    },
  );

  (asRoot && hostCores.length === 2 ? it : it.skip)(
    'on 2 cores pins a job asking for 1 core to a core of its own, and a shared job queued behind it waits rather than run on the one core left',
    async () => {
      const pool = new SandboxPool({ size: 2, ...timelineFixtures, logDedicatedCores: () => undefined });
      const grade = (slug: string, label: string, holdMs: number) =>
        pool.grade(timelineJob(slug, { label, holdMs })).then(timelineOf);
      const [first, dedicated, behind] = await Promise.all([
        grade('timeline-shared', 'running', 300),
        grade('timeline-dedicated-one', 'timed', 200),
        grade('timeline-shared', 'behind', 100),
      ]);
      await pool.close();

      expect(parseCpuList(dedicated.cpus)).toHaveLength(1);
      expect(overlaps(first, dedicated)).toBe(false);
      expect(behind.startedAtMs).toBeGreaterThanOrEqual(dedicated.endedAtMs);
      expect(parseCpuList(behind.cpus)).toHaveLength(2);
    },
  );

  it('runs a job with dedicated cores alone where processes cannot be pinned, and says so once', async () => {
    const logged: [string, boolean][] = [];
    const pool = new SandboxPool({
      size: 2,
      ...timelineFixtures,
      osLimits: { enabled: false },
      logOsLimits: () => undefined,
      logDedicatedCores: (line, pinned) => logged.push([line, pinned]),
    });
    const grade = (slug: string, label: string) =>
      pool.grade(timelineJob(slug, { label, holdMs: 200 })).then(timelineOf);
    const jobs = await Promise.all([
      grade('timeline-shared', 'before 1'),
      grade('timeline-shared', 'before 2'),
      grade('timeline-dedicated-one', 'timed'),
      grade('timeline-shared', 'behind 1'),
      grade('timeline-dedicated-one', 'timed again'),
      grade('timeline-shared', 'behind 2'),
    ]);
    await pool.close();

    const dedicated = jobs.filter((entry) => entry.label.startsWith('timed'));
    expect(dedicated.map((entry) => entry.dedicatedCores)).toEqual([1, 1]);
    for (const timed of dedicated) {
      const overlapping = jobs.filter((entry) => entry !== timed && overlaps(entry, timed));
      expect({ [timed.label]: overlapping.map((entry) => entry.label) }).toEqual({ [timed.label]: [] });
    }
    expect(logged).toEqual([
      [expect.stringMatching(/no CPU pinning on this host, so each such job runs alone/), false],
    ]);
  });
});
