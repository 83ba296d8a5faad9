/**
 * Hostile submissions on the thread paths, each with the verdict it must get: grader-started
 * threads (race-free-counter, one isolate per thread) and the submission's own worker_threads
 * (parallel-primes). docs/security.md lists the same cases and verdicts.
 */
import type { GradeReport } from '../../src/grading/grade-report';
import type { HostileCase, ReportSummary } from './async-cases';

const mutex = (lock: string) =>
  `export class Mutex {
    constructor(private state: Int32Array, private index = 0) {}
    lock(): void { ${lock} }
    unlock(): void {}
  }\n`;

/** countPrimes that starts one worker running `inWorker` and waits for its message or error. */
const oneWorker = (inWorker: string) =>
  `import { isMainThread, Worker } from 'node:worker_threads';
  if (!isMainThread) { ${inWorker} }
  export async function countPrimes(limit: number, threads: number): Promise<number> {
    const worker = new Worker(__filename);
    return new Promise<number>((resolve, reject) => {
      worker.on('message', resolve);
      worker.on('error', reject);
    });
  }\n`;

function messageOf(report: GradeReport, checkId: string): string {
  return report.checks.find((check) => check.id === checkId)?.message ?? '';
}

function expectStatus(summary: ReportSummary, status: GradeReport['status'], message?: RegExp): void {
  expect(summary.status).toBe(status);
  if (message) expect(summary.message).toMatch(message);
}

export const HOSTILE_THREAD_CASES: HostileCase[] = [
  {
    name: 'Atomics.wait forever in every grader thread: failed, the deadlock named with where each thread waits',
    exercise: 'race-free-counter',
    code: mutex('Atomics.wait(this.state, this.index, 0);'),
    expect(report, summary) {
      expectStatus(summary, 'failed');
      expect(summary.failed).toEqual(
        expect.arrayContaining(['exclusion', 'finishes-in-time', 'large-random']),
      );
      expect(messageOf(report, 'exclusion')).toMatch(/^could not be checked: no thread got through/);
      expect(messageOf(report, 'finishes-in-time')).toMatch(
        /^deadlock on controlled run \d+ of 150 \((random|PCT depth [23]), schedule [0-9a-f]{8}\): no thread could move: thread 1 still blocked in lock\(\): waits on state\[\d\] == 0, still 0/,
      );
    },
  },
  {
    name: 'an infinite loop in a grader thread: failed, each run stopped at its wall time with where the thread was',
    exercise: 'hostile-race-free-counter-short',
    code: mutex('for (;;) {}'),
    expect(report, summary) {
      expectStatus(summary, 'failed');
      expect(messageOf(report, 'finishes-in-time')).toMatch(
        /still running in lock\(\)( \(round 1\))?, not asleep/,
      );
    },
  },
  {
    name: 'new Array(1e8).fill(0) in a grader thread: memory_limit',
    exercise: 'race-free-counter',
    code: mutex('(globalThis as any).kept = new Array(1e8).fill(0);'),
    expect: (_report, summary) => expectStatus(summary, 'memory_limit'),
  },
  {
    name: 'a SharedArrayBuffer bomb in a grader thread: memory_limit',
    exercise: 'race-free-counter',
    code: mutex('const kept = []; for (;;) kept.push(new SharedArrayBuffer(1 << 24));'),
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'memory_limit',
        /thread \d used more than the 64 MB of memory each thread may use/,
      ),
  },
  {
    name: 'an ArrayBuffer bomb in a grader thread: memory_limit',
    exercise: 'race-free-counter',
    code: mutex('const kept = []; for (;;) kept.push(new ArrayBuffer(1 << 24));'),
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'memory_limit',
        /thread \d used more than the 64 MB of memory each thread may use/,
      ),
  },
  {
    name: 'a resizable ArrayBuffer grown past the memory limit in a grader thread: there is no resize()',
    exercise: 'race-free-counter',
    code: mutex('const b = new (ArrayBuffer as any)(8, { maxByteLength: 1 << 30 }); b.resize(1 << 30);'),
    expect(report, summary) {
      expectStatus(summary, 'failed');
      expect(messageOf(report, 'exclusion')).toMatch(/TypeError: b.resize is not a function/);
    },
  },
  {
    // WebAssembly memories are not counted against the isolate's limit either: these four filled 1 GB.
    name: 'a WebAssembly.Memory bomb in a grader thread: WebAssembly does not exist',
    exercise: 'race-free-counter',
    code: mutex(`const kept = [];
      for (let i = 0; i < 4; i++) {
        const memory = new (globalThis as any).WebAssembly.Memory({ initial: 3815 });
        new Uint8Array(memory.buffer).fill(1);
        kept.push(memory);
      }
      (globalThis as any).kept = kept;`),
    expect(report, summary) {
      expectStatus(summary, 'failed');
      expect(messageOf(report, 'exclusion')).toMatch(
        /TypeError: Cannot read properties of undefined \(reading 'Memory'\)/,
      );
    },
  },
  {
    name: 'Atomics.waitAsync with a timeout in a grader thread: failed with a clear TypeError, no crash',
    exercise: 'race-free-counter',
    code: mutex('Atomics.waitAsync(this.state, this.index, 0, 10);'),
    expect(report, summary) {
      expectStatus(summary, 'failed');
      expect(messageOf(report, 'exclusion')).toMatch(
        /threw TypeError: Atomics.waitAsync is not available in a thread the grader started/,
      );
    },
  },
  {
    name: 'ten thousand worker threads: runtime_error at the thread limit',
    exercise: 'parallel-primes',
    code: `import { Worker } from 'node:worker_threads';
      export async function countPrimes(limit: number, threads: number): Promise<number> {
        for (let i = 0; i < 10_000; i++) new Worker(__filename);
        return 0;
      }\n`,
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'runtime_error',
        /while 16 worker threads were running; a submission may run at most 16/,
      ),
  },
  {
    name: 'an infinite loop in a worker thread: timeout',
    exercise: 'hostile-parallel-primes-short',
    code: oneWorker('for (;;) {}'),
    expect: (_report, summary) => expectStatus(summary, 'timeout', /more than 3000 ms of real time/),
  },
  {
    name: 'Atomics.wait forever in the main thread and every worker: timeout',
    exercise: 'hostile-parallel-primes-short',
    code: `import { isMainThread, Worker, workerData } from 'node:worker_threads';
      if (!isMainThread) Atomics.wait(workerData as Int32Array, 0, 0);
      export async function countPrimes(limit: number, threads: number): Promise<number> {
        const cells = new Int32Array(new SharedArrayBuffer(8));
        for (let i = 0; i < 2; i++) new Worker(__filename, { workerData: cells });
        await new Promise((resolve) => setTimeout(resolve, 50));
        Atomics.wait(cells, 0, 0);
        return 0;
      }\n`,
    expect: (_report, summary) => expectStatus(summary, 'timeout', /more than 3000 ms of real time/),
  },
  {
    name: 'new Array(1e8).fill(0) in a worker thread: memory_limit',
    exercise: 'parallel-primes',
    code: oneWorker('(globalThis as any).kept = new Array(1e8).fill(0);'),
    expect: (_report, summary) => expectStatus(summary, 'memory_limit'),
  },
  {
    name: 'a SharedArrayBuffer bomb in a worker thread: memory_limit',
    exercise: 'parallel-primes',
    code: oneWorker('const kept = []; for (;;) kept.push(new SharedArrayBuffer(1 << 24));'),
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'memory_limit',
        /^worker thread 1 threw: RangeError: Array buffer allocation failed \(it asked for more than the 64 MB/,
      ),
  },
  {
    name: 'an ArrayBuffer bomb in the async export on the main thread: memory_limit',
    exercise: 'parallel-primes',
    code: `export async function countPrimes(limit: number, threads: number): Promise<number> {
        const kept: ArrayBuffer[] = [];
        for (;;) { await null; kept.push(new ArrayBuffer(1 << 24)); }
      }\n`,
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'memory_limit',
        /^countPrimes\(\) failed: RangeError: Array buffer allocation failed \(it asked for more than the 64 MB/,
      ),
  },
  {
    name: 'an ArrayBuffer bomb in a timer on the main thread: memory_limit',
    exercise: 'parallel-primes',
    code: `export async function countPrimes(limit: number, threads: number): Promise<number> {
        const kept: ArrayBuffer[] = [];
        setTimeout(() => { for (;;) kept.push(new ArrayBuffer(1 << 24)); }, 1);
        return new Promise<number>(() => {});
      }\n`,
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'memory_limit',
        /^uncaught exception on the main thread: RangeError: Array buffer allocation failed/,
      ),
  },
  {
    name: 'an ArrayBuffer bomb in a worker thread: memory_limit',
    exercise: 'parallel-primes',
    code: oneWorker('const kept = []; for (;;) kept.push(new ArrayBuffer(1 << 24));'),
    expect: (_report, summary) =>
      expectStatus(
        summary,
        'memory_limit',
        /^worker thread 1 threw: RangeError: Array buffer allocation failed/,
      ),
  },
  {
    name: 'a growable SharedArrayBuffer grown past the memory limit in a worker thread: there is no grow()',
    exercise: 'parallel-primes',
    code: oneWorker(
      'const b = new (SharedArrayBuffer as any)(8, { maxByteLength: 1 << 26 }); b.grow(1 << 26);',
    ),
    expect: (report) =>
      expect(messageOf(report, 'small-limits')).toMatch(/TypeError: b.grow is not a function/),
  },
];
