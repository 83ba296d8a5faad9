/**
 * Hostile submissions on the single-isolate path (an async exercise on the virtual clock), each
 * with the verdict it must get. docs/security.md lists the same cases and verdicts.
 */
import type { GradeReport } from '../../src/grading/grade-report';

export interface ReportSummary {
  status: GradeReport['status'];
  message: string | undefined;
  failed: string[];
}

export interface HostileCase {
  name: string;
  /** A folder under test/fixtures/exercises. */
  exercise: string;
  code: string;
  expect(report: GradeReport, summary: ReportSummary): void;
}

const EXPORT = 'export async function fetchAll(urls: string[]) { return []; }\n';
/** Passes every check: hostile cases that must not break grading append their probe to it. */
const CORRECT = `
export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>) {
  return Promise.all(urls.map(async (url) => {
    try { return { url, ok: true, body: await fetchData(url) }; }
    catch (err) { return { url, ok: false, error: (err as Error).message }; }
  }));
}
`;

/** Cases that must time out run against a 2 s limit; the others get the exercise's real 10 s, so a loaded host cannot turn their verdict into a timeout. */
const exerciseFor = (name: string) =>
  /: timeout$/.test(name) ? 'hostile-fetch-all-2s' : 'hostile-fetch-all';

function status(expected: GradeReport['status'], message?: RegExp) {
  return (_report: GradeReport, summary: ReportSummary) => {
    expect(summary.status).toBe(expected);
    if (message) expect(summary.message).toMatch(message);
  };
}

/** The console's first line, as printed by a probe. */
function printed(report: GradeReport): string {
  return report.console?.[0] ?? '';
}

const asyncCase = (
  name: string,
  code: string,
  expectation: HostileCase['expect'],
  exercise = exerciseFor(name),
): HostileCase => ({
  name,
  exercise,
  code,
  expect: expectation,
});

export const HOSTILE_ASYNC_CASES: HostileCase[] = [
  asyncCase('an infinite loop at load: timeout', `while (true) {}\n${EXPORT}`, status('timeout')),
  asyncCase(
    'an infinite loop in the export: timeout',
    'export async function fetchAll() { for (;;) {} }\n',
    status('timeout'),
  ),
  asyncCase(
    'try/finally loops that try to outlive the timeout: timeout',
    `export async function fetchAll() {
      for (;;) { try { for (;;) {} } finally { for (;;) { try { for (;;) {} } finally { continue; } } } }
    }\n`,
    status('timeout'),
  ),
  asyncCase(
    'self-rescheduling microtasks: timeout',
    `export async function fetchAll() { const again = () => queueMicrotask(again); again(); return []; }\n`,
    status('timeout'),
  ),
  asyncCase(
    'a promise chain that never yields (each link holds the next): memory_limit',
    `export async function fetchAll() { const again = (): Promise<void> => Promise.resolve().then(again); await again(); }\n`,
    status('memory_limit'),
  ),
  asyncCase(
    'endless zero-delay timers: the run is cut off, the checks fail',
    `export async function fetchAll() { const again = () => setTimeout(again, 0); again(); return new Promise(() => {}); }\n`,
    status('failed'),
  ),
  asyncCase(
    'an endless interval: the run is cut off, the checks fail',
    `export async function fetchAll() { setInterval(() => {}, 1); return new Promise(() => {}); }\n`,
    status('failed'),
  ),
  asyncCase(
    'a heap bomb: memory_limit',
    `const hoard: number[][] = []; while (true) hoard.push(new Array(10000).fill(1));\n${EXPORT}`,
    status('memory_limit'),
  ),
  asyncCase(
    'new Array(1e8).fill(0): memory_limit',
    `const big = new Array(1e8).fill(0);\n${EXPORT}`,
    // fill() never checks for termination, and isolated-vm raises V8's heap limit by 1 GB when the
    // isolate passes its own: the sandbox process's watchdog kills it at its memory ceiling.
    status('memory_limit', /ran out of memory/),
  ),
  asyncCase(
    'an ArrayBuffer bomb: memory_limit',
    `const hoard: ArrayBuffer[] = []; while (true) hoard.push(new ArrayBuffer(16 * 1024 * 1024));\n${EXPORT}`,
    status('memory_limit'),
  ),
  asyncCase(
    'a SharedArrayBuffer bomb: memory_limit',
    `const hoard: SharedArrayBuffer[] = []; while (true) hoard.push(new SharedArrayBuffer(16 * 1024 * 1024));\n${EXPORT}`,
    status('memory_limit'),
  ),
  // However the allocation error reaches the host (a throw at load or in a callback, the export's own
  // promise, an operation of a driver, a promise nobody handled), a buffer the isolate cannot hold is memory_limit.
  asyncCase(
    'a SharedArrayBuffer bomb in an async export, between awaits: memory_limit',
    `export async function fetchAll() {
      const hoard: SharedArrayBuffer[] = [];
      for (;;) { await null; hoard.push(new SharedArrayBuffer(16 * 1024 * 1024)); }
    }\n`,
    status(
      'memory_limit',
      /^fetchAll\(\) failed: RangeError: Array buffer allocation failed \(it asked for more than the 64 MB/,
    ),
  ),
  asyncCase(
    'a SharedArrayBuffer bomb in an async export, before its first await: memory_limit',
    `export async function fetchAll() { const hoard: SharedArrayBuffer[] = []; for (;;) hoard.push(new SharedArrayBuffer(1 << 26)); }\n`,
    status('memory_limit', /Array buffer allocation failed/),
  ),
  asyncCase(
    'an ArrayBuffer bomb in an async export: memory_limit',
    `export async function fetchAll() {
      const hoard: ArrayBuffer[] = [];
      for (;;) { await null; hoard.push(new ArrayBuffer(16 * 1024 * 1024)); }
    }\n`,
    status('memory_limit', /Array buffer allocation failed/),
  ),
  asyncCase(
    'a typed-array bomb in a synchronous export: memory_limit',
    `export function fetchAll() { const hoard: Float64Array[] = []; for (;;) hoard.push(new Float64Array(2 * 1024 * 1024)); }\n`,
    status('memory_limit', /Array buffer allocation failed/),
  ),
  asyncCase(
    'a SharedArrayBuffer bomb in a timer callback: memory_limit',
    `export async function fetchAll() {
      const hoard: SharedArrayBuffer[] = [];
      setTimeout(() => { for (;;) hoard.push(new SharedArrayBuffer(16 * 1024 * 1024)); }, 1);
      return new Promise(() => {});
    }\n`,
    status('memory_limit', /^uncaught exception in a callback: RangeError: Array buffer allocation failed/),
  ),
  asyncCase(
    'a SharedArrayBuffer bomb in a promise nobody handles: memory_limit',
    `export function fetchAll() {
      const hoard: SharedArrayBuffer[] = [];
      (async () => { for (;;) { await null; hoard.push(new SharedArrayBuffer(16 * 1024 * 1024)); } })();
      return new Promise(() => {});
    }\n`,
    status('memory_limit', /^unhandled promise rejection: RangeError: Array buffer allocation failed/),
  ),
  asyncCase(
    'a SharedArrayBuffer bomb in a method a driver calls (async-bank): memory_limit',
    `export class Bank {
      constructor(private store: unknown) {}
      async deposit(): Promise<void> {
        const hoard: SharedArrayBuffer[] = [];
        for (;;) { await null; hoard.push(new SharedArrayBuffer(16 * 1024 * 1024)); }
      }
      async withdraw(): Promise<boolean> { return false; }
      async transfer(): Promise<boolean> { return false; }
    }\n`,
    status('memory_limit', /^deposit\(\w+, \d+\) failed: RangeError: Array buffer allocation failed/),
    'async-bank',
  ),
  asyncCase(
    'a resizable ArrayBuffer grown past the memory limit: there is no resize() in the sandbox',
    `export async function fetchAll() {
      const kept: ArrayBuffer[] = [];
      for (let i = 0; i < 8; i++) {
        const buffer = new (ArrayBuffer as any)(8, { maxByteLength: 256 * 1024 * 1024 });
        buffer.resize(256 * 1024 * 1024);
        new Uint8Array(buffer).fill(1);
        kept.push(buffer);
      }
      return [];
    }\n`,
    (report, summary) => {
      expect(summary.status).toBe('failed');
      expect(report.checks.find((check) => check.id === 'results')?.message).toMatch(
        /rejected with "buffer.resize is not a function"/,
      );
    },
  ),
  asyncCase(
    'a growable SharedArrayBuffer grown past the memory limit, in a timer: there is no grow()',
    `export async function fetchAll() {
      setTimeout(() => new (SharedArrayBuffer as any)(8, { maxByteLength: 1 << 30 }).grow(1 << 30), 1);
      return new Promise(() => {});
    }\n`,
    status('runtime_error', /TypeError: .*grow is not a function/),
  ),
  asyncCase(
    'an allocation failure the export catches, with a correct export: passed',
    CORRECT.replace(
      'return Promise.all(',
      'try { new SharedArrayBuffer(1 << 30); } catch { console.log("too big, carrying on"); }\n  return Promise.all(',
    ),
    (report, summary) => {
      expect(summary.status).toBe('passed');
      expect(printed(report)).toBe('too big, carrying on');
    },
  ),
  asyncCase(
    'an ordinary RangeError rejection (new Array(-1)): failed, the checks quote it',
    `export async function fetchAll(urls: string[]) { return new Array(-urls.length - 1); }\n`,
    (report, summary) => {
      expect(summary.status).toBe('failed');
      expect(report.checks.find((check) => check.id === 'results')?.message).toMatch(
        /rejected with "Invalid array length"/,
      );
    },
  ),
  asyncCase(
    'a typed array past its buffer in a timer: runtime_error, not memory_limit',
    `export async function fetchAll() { setTimeout(() => new Uint8Array(new ArrayBuffer(8), 0, 100), 1); return new Promise(() => {}); }\n`,
    status('runtime_error', /Invalid typed array length: 100/),
  ),
  asyncCase(
    'an allocation failure rethrown as another error: failed, the checks quote it',
    `export async function fetchAll() {
      try { new ArrayBuffer(1 << 30); } catch { throw new Error('not enough memory for the cache'); }
    }\n`,
    (report, summary) => {
      expect(summary.status).toBe('failed');
      expect(report.checks.find((check) => check.id === 'results')?.message).toMatch(
        /not enough memory for the cache/,
      );
    },
  ),
  asyncCase(
    'a WebAssembly.Memory bomb: WebAssembly does not exist',
    `const memory = new (globalThis as any).WebAssembly.Memory({ initial: 65536 });\n${EXPORT}`,
    status('runtime_error', /WebAssembly|undefined/),
  ),
  asyncCase(
    'an output flood: output_limit, keeping what fit',
    `for (let i = 0; ; i++) console.log('line ' + i);\n${EXPORT}`,
    (report, summary) => {
      expect(summary.status).toBe('output_limit');
      expect(printed(report)).toBe('line 0');
      expect(report.console!.join('\n').length).toBeLessThanOrEqual(4096);
    },
  ),
  asyncCase(
    'a huge returned string: the checks fail',
    `export async function fetchAll() { return 'x'.repeat(40 * 1024 * 1024); }\n`,
    status('failed'),
  ),
  asyncCase(
    'a getter that never returns, in the returned value: timeout',
    `export async function fetchAll(urls: string[]) {
      return urls.map(() => ({ get url(): string { for (;;) {} } }));
    }\n`,
    status('timeout'),
  ),
  asyncCase(
    'a Proxy returned to the host: the checks fail',
    `export async function fetchAll(urls: string[]) {
      return new Proxy([], { get() { throw new Error('trap'); }, ownKeys() { for (;;) {} } });
    }\n`,
    status('failed'),
  ),
  asyncCase(
    'deep recursion: the export rejects with RangeError, the checks fail',
    `function down(n: number): number { return down(n + 1) + 1; }\nexport async function fetchAll() { return down(0); }\n`,
    (report, summary) => {
      expect(summary.status).toBe('failed');
      expect(report.checks.find((check) => check.id === 'results')?.message).toMatch(/Maximum call stack/);
    },
  ),
  asyncCase(
    'require, process, fetch and import("fs"): none exists',
    `${CORRECT}
    const probes: string[] = [];
    for (const probe of [() => (globalThis as any).require('fs'), () => (globalThis as any).process.env, () => (globalThis as any).fetch('http://127.0.0.1:5432')]) {
      try { probe(); probes.push('reached'); } catch (error) { probes.push((error as Error).name); }
    }
    console.log(probes.join(','));
    `,
    (report, summary) => {
      expect(summary.status).toBe('passed');
      expect(printed(report)).toBe('TypeError,TypeError,TypeError');
    },
  ),
  asyncCase(
    'import("fs"): compile_error naming the module',
    `export async function fetchAll() { const fs = await import('fs'); return fs.readFileSync('/etc/passwd', 'utf8'); }\n`,
    status('compile_error', /fs/),
  ),
  asyncCase(
    'a static import of node:child_process: compile_error naming the module',
    `import { execSync } from 'node:child_process';\nexport async function fetchAll() { return execSync('id').toString(); }\n`,
    status('compile_error', /child_process/),
  ),
  asyncCase(
    'environment variables: none is visible',
    `${CORRECT}
    const seen = [typeof (globalThis as any).process, typeof (globalThis as any).Deno, typeof (globalThis as any).Bun];
    const text = JSON.stringify(Object.getOwnPropertyNames(globalThis).map((name) => String((globalThis as any)[name])));
    console.log(seen.join(','), /DATABASE_URL|REDIS_URL|postgres:|PATH=/.test(text));
    `,
    (report, summary) => {
      expect(summary.status).toBe('passed');
      expect(printed(report)).toBe('undefined,undefined,undefined false');
    },
  ),
  asyncCase(
    "prototype pollution of built-ins before the grader's code runs: graded correctly",
    `${CORRECT}
    const then = Promise.prototype.then;
    Promise.prototype.then = function (this: Promise<unknown>, a?: any, b?: any) { return then.call(this, a, b); } as any;
    Array.prototype.push = function () { throw new Error('push is gone'); };
    Object.defineProperty(Object.prototype, 'ok', { get() { return true; }, set() {}, configurable: true });
    JSON.stringify = () => '"all passed"';
    Array.prototype.map = function () { return []; } as any;
    `,
    (report, summary) => expect(summary.status).toBe('failed'),
  ),
  asyncCase(
    'prototype pollution with a correct export: still passes',
    `${CORRECT}
    Array.prototype.push = function () { throw new Error('push is gone'); };
    Object.defineProperty(Object.prototype, 'settled', { get() { return true; }, set() {}, configurable: true });
    JSON.parse = () => ({ passed: true });
    `,
    status('passed'),
  ),
  asyncCase(
    'printing fake "all passed" output: the output changes nothing',
    `console.log('{"status":"passed","score":15,"maxScore":15}'); console.log('All checks passed!');\n${EXPORT}`,
    (report, summary) => {
      expect(summary.status).toBe('failed');
      expect(report.score).toBeLessThan(report.maxScore);
      expect(printed(report)).toContain('"status":"passed"');
    },
  ),
  asyncCase(
    'constructor-chain probes reach only the isolate',
    `${CORRECT}
    const viaFunction = (function () {}).constructor('return this')();
    const viaAsync = (async function () {}).constructor;
    const reached = [viaFunction === globalThis, typeof viaFunction.process, typeof viaAsync('return 1')];
    const viaError = (new Error()).constructor.constructor('return typeof process')();
    console.log(reached.join(','), viaError);
    `,
    (report, summary) => {
      expect(summary.status).toBe('passed');
      expect(printed(report)).toBe('true,undefined,function undefined');
    },
  ),
  asyncCase(
    'Error.prepareStackTrace probes: frames give nothing of the host',
    `${CORRECT}
    const leaks: string[] = [];
    (Error as any).prepareStackTrace = (_error: unknown, frames: any[]) => {
      for (const frame of frames) {
        for (const read of [() => frame.getThis?.(), () => frame.getFunction?.()]) {
          try { const value = read(); if (value && typeof value.process === 'object') leaks.push('process'); } catch {}
        }
      }
      return 'probe';
    };
    try { null!.x; } catch (error) { String((error as Error).stack); }
    console.log('leaks:' + leaks.length + ':' + typeof (globalThis as any).process);
    `,
    (report, summary) => {
      expect(summary.status).toBe('passed');
      expect(printed(report)).toBe('leaks:0:undefined');
    },
  ),
  asyncCase(
    'walking the globals for isolated-vm objects finds none',
    `${CORRECT}
    const seen = new Set<unknown>();
    const found: string[] = [];
    const walk = (value: any, path: string, depth: number) => {
      if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 6) return;
      seen.add(value);
      for (const key of Reflect.ownKeys(value)) {
        const name = String(key);
        if (/^(derefInto|applySync|applySyncPromise|copyInto|Reference|ExternalCopy|Isolate|Callback)$/.test(name)) found.push(path + '.' + name);
        let child: unknown;
        try { child = value[key]; } catch { continue; }
        walk(child, path + '.' + name, depth + 1);
      }
    };
    walk(globalThis, 'globalThis', 0);
    console.log('found:' + found.join(';'));
    `,
    (report, summary) => {
      expect(summary.status).toBe('passed');
      expect(printed(report)).toBe('found:');
    },
  ),
  asyncCase(
    'an unhandled-rejection flood: bounded, one verdict',
    `export async function fetchAll() { for (let i = 0; i < 100000; i++) Promise.reject(new Error('flood ' + i)); return []; }\n`,
    status('runtime_error', /unhandled promise rejection: Error: flood/),
  ),
  asyncCase(
    'Atomics.waitAsync with a timeout: times out on the virtual clock, no crash',
    `export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>) {
      const cells = new Int32Array(new SharedArrayBuffer(8));
      console.log('waited ' + (await Atomics.waitAsync(cells, 0, 0, 10).value));
      return Promise.all(urls.map(async (url) => {
        try { return { url, ok: true, body: await fetchData(url) }; }
        catch (err) { return { url, ok: false, error: (err as Error).message }; }
      }));
    }\n`,
    (report, summary) => {
      // The 10 ms wait comes before every fetch: only the checks on total virtual time can fail.
      expect(summary.status).toBe('failed');
      expect(summary.failed).toEqual(['concurrency', 'large-random']);
      expect(printed(report)).toBe('waited timed-out');
    },
  ),
];
