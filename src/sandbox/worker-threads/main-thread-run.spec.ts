/**
 * Runs through dist/ (isolated-vm cannot load inside Jest): each case is a child `node` running the
 * compiled __fixtures__/run-main.js with a submission and main-thread scenarios on stdin. The
 * submission is WORKER_PATTERNS, a file written for the course's node:worker_threads rules
 * (node-parity.spec.ts runs the same file under plain Node).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { MainRunEvidence } from '../../../graders/grader-api';
import type {
  MainRunFixtureRequest,
  MainRunFixtureRun,
  MainRunFixtureScenario,
} from './__fixtures__/run-main';
import { WORKER_PATTERNS } from './__fixtures__/worker-patterns';

const RUNNER = resolve(__dirname, '../../../dist/src/sandbox/worker-threads/__fixtures__/run-main.js');

function runInChild(request: Partial<MainRunFixtureRequest> & { scenarios: MainRunFixtureScenario[] }) {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify({ code: WORKER_PATTERNS, ...request }),
    encoding: 'utf8',
  });
  return JSON.parse(output) as MainRunFixtureRun[];
}

function evidenceOf(run: MainRunFixtureRun): MainRunEvidence {
  if (!run.evidence) throw new Error(`expected evidence, got the verdict ${JSON.stringify(run.verdict)}`);
  expect(run.liveIsolatesAfter).toBe(0);
  return run.evidence;
}

const call = (exportName: string, ...args: unknown[]): MainRunFixtureScenario => ({ exportName, args });

describe('runMainThread: the submission starts its own worker threads', () => {
  it('counts the primes below 10,000 and 100,000 exactly with 1, 2, 3 and 4 workers', () => {
    const cases = [1, 2, 3, 4].flatMap((threads) => [
      call('countPrimes', 10_000, threads),
      call('countPrimes', 100_000, threads),
    ]);
    const runs = runInChild({ scenarios: cases });
    expect(runs.map((run) => evidenceOf(run).result)).toEqual(
      [1, 2, 3, 4].flatMap(() => [
        { kind: 'resolved', value: 1229 },
        { kind: 'resolved', value: 9592 },
      ]),
    );
    for (const [index, run] of runs.entries()) {
      const threads = cases[index].args[1] as number;
      const workers = evidenceOf(run).workers;
      expect(workers.map((worker) => worker.end)).toEqual(Array(threads).fill('exited'));
      // Thread ids start at 1 in every run: the grader's main thread is 0.
      expect(workers.map((worker) => worker.threadId)).toEqual(
        Array.from({ length: threads }, (_, i) => i + 1),
      );
    }
  });

  it('runs two CPU-bound workers at the same time: they meet in a spin only parallel threads get past, and together use more CPU than the wall time', () => {
    const [run] = runInChild({ scenarios: [call('rendezvous', 2_000_000)] });
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({ kind: 'resolved', value: [148_933, 148_933] });
    const [first, second] = evidence.workers;
    expect(first.startedAtMs).toBeLessThan(second.endedAtMs!);
    expect(second.startedAtMs).toBeLessThan(first.endedAtMs!);
    // Each worker computed for most of its life, and the two lives overlapped: run one after the other,
    // the CPU of both could not exceed the run's wall time.
    for (const worker of evidence.workers) {
      expect(worker.cpuMs).toBeGreaterThan(0.5 * (worker.endedAtMs! - worker.startedAtMs));
      expect(worker.blockedMs).toBe(0);
    }
    expect(first.cpuMs + second.cpuMs).toBeGreaterThan(evidence.wallMs);
    expect(evidence.mainCpuMs).toBeLessThan(evidence.wallMs);
    expect(evidence.host.processCpuMs).toBeGreaterThan(0);
    expect(evidence.host.cores).toBeGreaterThanOrEqual(1);
  });

  it('delivers messages both ways in order, with online and exit events, ends a worker whose port is closed, and its threadId is then -1', () => {
    const [run] = runInChild({ scenarios: [call('echo')] });
    expect(evidenceOf(run).result).toEqual({
      kind: 'resolved',
      value: {
        received: [
          { echo: 1, isMainThread: false, threadId: "the worker's" },
          { echo: { nested: [2, { deep: true }] }, isMainThread: false, threadId: "the worker's" },
          { echo: 'three', isMainThread: false, threadId: "the worker's" },
        ],
        events: ['online', 'exit 0'],
        threadIdAfterExit: -1,
      },
    });
  });

  it("queues messages for a port with no 'message' listener, as Node does, and once() takes one at a time", () => {
    const [run] = runInChild({ scenarios: [call('lateListener')] });
    expect(evidenceOf(run).result).toEqual({
      kind: 'resolved',
      value: { received: ['first 1', 'second 2'], code: 0 },
    });
  });

  it('shares a SharedArrayBuffer between the main thread and a worker: Atomics counts, waitAsync and wait are woken', () => {
    const [asyncWait, blockingWait] = runInChild({
      scenarios: [call('sharedCounter'), call('sharedCounterBlocking')],
    });
    expect(evidenceOf(asyncWait).result).toEqual({
      kind: 'resolved',
      value: { result: 'ok', count: 100_000, code: 0 },
    });
    expect(evidenceOf(blockingWait).result).toEqual({ kind: 'resolved', value: { count: 100_000, code: 0 } });
  });

  it('gives the worker a copy of workerData (later changes stay in the main thread), with a SharedArrayBuffer in it still shared', () => {
    const [run] = runInChild({ scenarios: [call('workerDataIsCloned')] });
    expect(evidenceOf(run).result).toEqual({
      kind: 'resolved',
      value: { list: [1, 2, 3], map: [['a', 1]], when: 0, isDate: true, sabWrittenByWorker: 7 },
    });
  });

  it('refuses to post a function with a DataCloneError naming it, as Node does', () => {
    const [run] = runInChild({ scenarios: [call('postFunction')] });
    expect(evidenceOf(run).result).toEqual({
      kind: 'resolved',
      value: { name: 'DataCloneError', message: '() => 1 could not be cloned.', isError: true },
    });
  });

  it("reports a worker's throw as an 'error' event then exit code 1, and points the report at the student's line", () => {
    const [run] = runInChild({ scenarios: [call('workerThrows')] });
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({
      kind: 'resolved',
      value: [
        ['error', true, 'range 5..5 is empty'],
        ['exit', 1],
      ],
    });
    const line =
      WORKER_PATTERNS.split('\n').findIndex((text) => text.includes("throw new RangeError('range '")) + 1;
    expect(evidence.workers[0]).toMatchObject({
      end: 'threw',
      error: { message: 'RangeError: range 5..5 is empty', location: { line, column: 9 } },
    });
  });

  it('terminates a spinning worker: terminate() resolves with exit code 1, and with undefined once it has exited', () => {
    const [run] = runInChild({ scenarios: [call('terminateSpinner')] });
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({ kind: 'resolved', value: { code: 1, again: 'undefined' } });
    expect(evidence.workers[0].end).toBe('terminated');
    expect(evidence.workers[0].cpuMs).toBeGreaterThan(10);
  });

  it('runs real timers in a worker (node:timers/promises), which keep it alive until they fire', () => {
    const [run] = runInChild({ scenarios: [call('sleepingWorker')] });
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({ kind: 'resolved', value: { message: 'slept 30', code: 0 } });
    expect(evidence.workers[0].endedAtMs! - evidence.workers[0].startedAtMs).toBeGreaterThanOrEqual(29);
  });

  it("treats a worker's unhandled rejection as Node does: 'error' with the reason, then exit code 1", () => {
    const [run] = runInChild({ scenarios: [call('workerRejects')] });
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({
      kind: 'resolved',
      value: { name: 'TypeError', message: 'nobody handles this', code: 1 },
    });
    expect(evidence.workers[0]).toMatchObject({
      end: 'threw',
      error: { message: 'TypeError: nobody handles this' },
    });
  });

  it("keeps a worker with a 'message' listener on parentPort alive until terminate()", () => {
    const [run] = runInChild({ scenarios: [call('listenerKeepsAlive')] });
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({
      kind: 'resolved',
      value: { reply: 'ping', aliveAfterReply: true, code: 1 },
    });
    expect(evidence.workers[0].end).toBe('terminated');
  });

  it('runs the export on the main thread: threadId 0, no workerData or parentPort, import.meta.url is the file URL of __filename', () => {
    const [run] = runInChild({ scenarios: [call('whoAmI')] });
    expect(evidenceOf(run).result).toEqual({
      kind: 'resolved',
      value: { isMainThread: true, threadId: 0, workerData: null, parentPort: null, url: true },
    });
  });
});

describe('runMainThread: the runtime beside hostile code', () => {
  it('gives the submission no function of the runtime through stack frames or `caller`, and keeps delivering when built-ins are replaced', () => {
    const code = `import { Worker, isMainThread, parentPort } from 'node:worker_threads';
      const reached: string[] = [];
      let ownFramesSeen = 0;
      function inspect(where: string): void {
        (Error as any).prepareStackTrace = (_error: unknown, frames: any[]) => frames;
        const frames = new Error().stack as unknown as any[];
        (Error as any).prepareStackTrace = undefined;
        for (const frame of frames) {
          const fn = frame.getFunction();
          if (fn?.name?.startsWith('STUDENT')) ownFramesSeen++;
          if (fn !== undefined && fn !== inspect && !String(fn).includes('STUDENT')) reached.push(where + ': ' + String(fn).slice(0, 60));
          const self = frame.getThis();
          if (self !== undefined && self !== globalThis && typeof self === 'object' && !(self instanceof Worker) && self !== parentPort)
            reached.push(where + ': this ' + Object.keys(self).join(','));
        }
      }
      // Replaced after the runtime captured them: the submission breaks only itself.
      WeakMap.prototype.get = function () { throw new Error('tampered get'); };
      Reflect.apply = function () { throw new Error('tampered apply'); } as any;
      Object.defineProperty(Object.prototype, 'threadId', { set() { reached.push('a setter saw ' + Object.keys(this)); }, configurable: true });
      if (!isMainThread) parentPort!.on('message', function STUDENT_WORKER(m: unknown) { inspect('worker'); parentPort!.postMessage({ m, reached }); parentPort!.close(); });
      export function probe(): Promise<unknown> {
        const worker = new Worker(__filename);
        worker.postMessage('hi');
        return new Promise((resolve) => worker.on('message', function STUDENT_MAIN(answer: any) {
          inspect('main');
          resolve({ answer: answer.m, reached: [...answer.reached, ...reached], ownFramesSeen, caller: (STUDENT_MAIN as any).caller ?? null });
        }));
      }`;
    const [run] = runInChild({ code, scenarios: [call('probe')] });
    expect(evidenceOf(run).result).toEqual({
      kind: 'resolved',
      // The probe does see frames: the student's own listener, which is not strict code.
      value: { answer: 'hi', reached: [], ownFramesSeen: 1, caller: null },
    });
  });
});

describe('runMainThread: limits, and what a stopped run still shows', () => {
  it('stops a run whose promise never settles at the wall time, with a running worker in the evidence and no isolate left', () => {
    const started = performance.now();
    const [run] = runInChild({ scenarios: [{ ...call('forgetsASpinningWorker'), wallTimeMs: 1000 }] });
    expect(performance.now() - started).toBeLessThan(10_000);
    const evidence = evidenceOf(run);
    expect(evidence.result).toEqual({ kind: 'timeout' });
    expect(evidence.wallMs).toBeGreaterThanOrEqual(999);
    expect(evidence.workers).toEqual([
      expect.objectContaining({ threadId: 1, end: 'running', endedAtMs: null }),
    ]);
    expect(evidence.workers[0].cpuMs).toBeGreaterThan(0);
  });

  it('ends a run at once when nothing is left that could settle the promise (no timer, no worker)', () => {
    const [run] = runInChild({
      code: 'export function never(): Promise<never> { return new Promise(() => {}); }',
      scenarios: [{ ...call('never'), wallTimeMs: 60_000 }],
    });
    expect(evidenceOf(run).result).toEqual({ kind: 'timeout' });
    expect(run.totalMs).toBeLessThan(30_000);
  });

  it('is a timeout verdict when the grading deadline passes first', () => {
    const [run] = runInChild({
      deadlineMs: 300,
      scenarios: [{ ...call('forgetsASpinningWorker'), wallTimeMs: 60_000 }],
    });
    expect(run.verdict?.status).toBe('timeout');
    expect(run.liveIsolatesAfter).toBe(0);
  });

  it('is a runtime_error verdict naming the limit when a 17th worker starts while 16 run, and a lower limit applies too', () => {
    const code = `import { Worker, isMainThread } from 'node:worker_threads';
      if (!isMainThread) setTimeout(() => {}, 60_000);
      export function start(count: number): number { for (let i = 0; i < count; i++) new Worker(__filename); return count; }`;
    const [sixteen] = runInChild({ code, scenarios: [{ ...call('start', 16), wallTimeMs: 200 }] });
    expect(evidenceOf(sixteen).workers).toHaveLength(16);
    const [seventeen] = runInChild({ code, scenarios: [call('start', 17)] });
    expect(seventeen.verdict).toEqual({
      status: 'runtime_error',
      message:
        'new Worker(...) was called while 16 worker threads were running; a submission may run at most 16 worker threads at once',
    });
    expect(seventeen.liveIsolatesAfter).toBe(0);
    const [lowered] = runInChild({ code, maxWorkers: 2, scenarios: [call('start', 3)] });
    expect(lowered.verdict?.status).toBe('runtime_error');
  });

  it('is a memory_limit verdict when a worker passes its heap limit, with every isolate disposed', () => {
    const code = `import { Worker, isMainThread } from 'node:worker_threads';
      if (!isMainThread) { const kept: number[][] = []; for (;;) kept.push(new Array(10_000).fill(1.5)); }
      export function hoard(): Promise<void> { new Worker(__filename); return new Promise(() => {}); }`;
    const [run] = runInChild({ code, memoryMb: 32, scenarios: [call('hoard')] });
    expect(run.verdict).toEqual({
      status: 'memory_limit',
      message: 'worker thread 1 used more than the 32 MB of memory a thread may use',
    });
    expect(run.liveIsolatesAfter).toBe(0);
  });

  it("counts SharedArrayBuffers against the heap of every thread holding them: one that does not fit is a memory_limit verdict at the student's line", () => {
    const code = `export function hoard(megabytes: number, count: number): number {
        const kept = [];
        for (let i = 0; i < count; i++) kept.push(new SharedArrayBuffer(megabytes * 1024 * 1024));
        return kept.length;
      }`;
    const [fits] = runInChild({ code, memoryMb: 32, scenarios: [call('hoard', 1, 8), call('hoard', 1, 8)] });
    expect(evidenceOf(fits).result).toEqual({ kind: 'resolved', value: 8 });
    const refused = {
      status: 'memory_limit',
      message:
        'hoard() failed: RangeError: Array buffer allocation failed (it asked for more than the 32 MB of memory it may use)',
      location: { line: 3, column: 51 },
    };
    const [many] = runInChild({ code, memoryMb: 32, scenarios: [call('hoard', 1, 40)] });
    expect(many.verdict).toEqual(refused);
    const [huge] = runInChild({ code, memoryMb: 32, scenarios: [call('hoard', 40, 1)] });
    expect(huge.verdict).toEqual(refused);
    expect(huge.liveIsolatesAfter).toBe(0);
    // 24 MB of the main thread's buffers, held by a worker, leave it no room for 12 MB more of its own.
    const shared = `import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
      if (!isMainThread) parentPort!.postMessage(new ArrayBuffer(workerData.ownMb * 1024 * 1024).byteLength);
      export function share(count: number, ownMb: number): Promise<unknown> {
        const buffers = Array.from({ length: count }, () => new SharedArrayBuffer(3 * 1024 * 1024));
        const worker = new Worker(__filename, { workerData: { buffers, ownMb } });
        return new Promise((resolve) => worker.on('message', resolve));
      }`;
    const [alone] = runInChild({ code: shared, memoryMb: 32, scenarios: [call('share', 0, 12)] });
    const [holding] = runInChild({ code: shared, memoryMb: 32, scenarios: [call('share', 8, 12)] });
    expect(evidenceOf(alone).result).toEqual({ kind: 'resolved', value: 12 * 1024 * 1024 });
    expect(holding.verdict).toEqual({
      status: 'memory_limit',
      message:
        'worker thread 1 threw: RangeError: Array buffer allocation failed (it asked for more than the 32 MB of memory it may use)',
      location: { line: 2, column: 50 },
    });
  });

  it("is a runtime_error verdict when a worker throws and the main thread has no 'error' listener (Node ends the program)", () => {
    const code = `import { Worker, isMainThread } from 'node:worker_threads';
      if (!isMainThread) {
        throw new Error('no luck');
      }
      export function start(): Promise<void> { new Worker(__filename); return new Promise(() => {}); }`;
    const [run] = runInChild({ code, scenarios: [call('start')] });
    expect(run.verdict).toEqual({
      status: 'runtime_error',
      message:
        "worker thread 1 threw Error: no luck, and the main thread has no 'error' listener on that Worker (in Node this ends the program)",
      location: { line: 3, column: 15 },
    });
  });

  it('is a runtime_error verdict for an uncaught throw in a main-thread timer, and for a module that throws on load', () => {
    const timer = `export function f(): Promise<void> {\n  setTimeout(() => { throw new TypeError('tick'); }, 1);\n  return new Promise(() => {});\n}`;
    const [thrown] = runInChild({ code: timer, scenarios: [call('f')] });
    expect(thrown.verdict).toEqual({
      status: 'runtime_error',
      message: 'uncaught exception on the main thread: TypeError: tick',
      location: { line: 2, column: 28 },
    });
    const [load] = runInChild({
      code: 'export const f = 1;\nthrow new Error("bad start");\n',
      scenarios: [call('f')],
    });
    expect(load.verdict).toEqual({
      status: 'runtime_error',
      message: 'solution.ts threw while loading: Error: bad start',
      location: { line: 2, column: 7 },
    });
  });

  it("is an output_limit verdict when the workers' console lines pass the grading's budget", () => {
    const code = `import { Worker, isMainThread, parentPort } from 'node:worker_threads';
      if (!isMainThread) { for (let i = 0; i < 200; i++) console.log('worker line', i); parentPort!.postMessage('done'); }
      export function chat(): Promise<unknown> { const w = new Worker(__filename); return new Promise((r) => w.on('message', r)); }`;
    const [small] = runInChild({ code, consoleBytes: 100_000, scenarios: [call('chat')] });
    expect(evidenceOf(small).console).toHaveLength(200);
    expect(evidenceOf(small).console[199]).toBe('worker line 199');
    const [flood] = runInChild({ code, consoleBytes: 1000, scenarios: [call('chat')] });
    expect(flood.verdict?.status).toBe('output_limit');
  });
});
