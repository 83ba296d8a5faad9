#!/usr/bin/env node
/**
 * Stress of SharedArrayBuffers that outlive the thread that made them, through the real path
 * (runMainThread, each thread an isolate). On isolated-vm 5.0.4 a buffer's memory was freed through
 * the allocator of the isolate that made it, after that isolate was gone: about 1 sandbox process in
 * 10 running 60 such scenarios died (V8 check failures, segfaults) or hung. Each process here is a
 * fresh `node` running SCENARIOS scenarios that pass buffers between the main thread and workers:
 *  - a worker makes buffers and exits; the main thread reads them and hands them to new workers;
 *  - a worker makes a buffer, hands it to its own worker, both are terminated, the main thread keeps it;
 *  - the main thread's buffer is held by spinning workers when the run ends, and returned to the host;
 *  - many small buffers made in workers and dropped, so they are freed whenever each isolate collects.
 * The host's garbage collector runs between scenarios, so copies it holds are freed at varied times.
 * A process fails when it dies by a signal, exits non-zero, hangs past HANG_MS, or a result is wrong.
 *
 *   npm run build && node bench/shared-buffer-lifetimes.js [processes=30] [scenarios=60] [parallel=2]
 *   ROOT=/path/to/checkout node bench/shared-buffer-lifetimes.js ...   # another build's dist/
 */
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');

const root = process.env.ROOT ?? join(__dirname, '..');
const HANG_MS = 180_000;

const SUBMISSION = `
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

type Job = { kind: string; [key: string]: any };
const job = (isMainThread ? null : workerData) as Job | null;

const start = (data: Job) => new Worker(__filename, { workerData: data });
// Listen before awaiting anything: a worker may post and exit in one go.
const exitOf = (worker: Worker) => new Promise<number>((resolve) => worker.on('exit', resolve));
const messageOf = (worker: Worker) => new Promise<any>((resolve) => worker.once('message', resolve));

if (job?.kind === 'make') {
  const buffers: SharedArrayBuffer[] = [];
  for (let i = 0; i < job.count; i++) {
    const buffer = new SharedArrayBuffer(job.bytes);
    new Int32Array(buffer)[0] = i + 1;
    buffers.push(buffer);
  }
  parentPort!.postMessage(job.keep ? buffers : buffers.length);
}

if (job?.kind === 'add') {
  const cells = new Int32Array(job.sab);
  for (let i = 0; i < job.times; i++) Atomics.add(cells, 1, 1);
  parentPort!.postMessage(job.sab.slice(0, 8));
}

if (job?.kind === 'relay') {
  const sab = new SharedArrayBuffer(64);
  const child = start({ kind: 'add', sab, times: 500 });
  child.once('message', (slice: SharedArrayBuffer) => parentPort!.postMessage({ sab, slice }));
}

if (job?.kind === 'hold') {
  const cells = new Int32Array(job.sab);
  parentPort!.postMessage('holding');
  for (;;) Atomics.add(cells, 0, 1);
}

/** Buffers made in a worker outlive it: read after its exit, then handed to new workers at once. */
export async function madeInWorker(count: number): Promise<number> {
  const maker = start({ kind: 'make', count, bytes: 4096, keep: true });
  const exited = exitOf(maker);
  const buffers: SharedArrayBuffer[] = await messageOf(maker);
  await exited;
  const sums = await Promise.all(
    buffers.map(async (buffer) => {
      const adder = start({ kind: 'add', sab: buffer, times: 100 });
      const adderExited = exitOf(adder);
      const slice: SharedArrayBuffer = await messageOf(adder);
      await adderExited;
      return new Int32Array(buffer)[0] + new Int32Array(slice)[1];
    }),
  );
  return sums.reduce((a, b) => a + b, 0);
}

/** A worker's buffer goes to its own worker; both are terminated; the main thread keeps buffer and slice. */
export async function relayed(): Promise<number[]> {
  const relay = start({ kind: 'relay' });
  const { sab, slice } = await messageOf(relay);
  await relay.terminate();
  return [new Int32Array(sab)[1], new Int32Array(slice)[1]];
}

/** The main thread's buffer is still held by running workers when the run ends, and goes to the host. */
export async function outlivedByWorkers(workers: number): Promise<SharedArrayBuffer> {
  const sab = new SharedArrayBuffer(16);
  const holders = Array.from({ length: workers }, () => start({ kind: 'hold', sab }));
  await Promise.all(holders.map(messageOf));
  return sab;
}

/** Many small buffers made and dropped in several workers at once. */
export async function churn(workers: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: workers }, () => messageOf(start({ kind: 'make', count: 200, bytes: 256, keep: false }))),
  );
  return counts.reduce((a, b) => a + b, 0);
}
`;

/** Each scenario and the check of its result (null when right, else what was wrong). */
const SCENARIOS = [
  {
    exportName: 'madeInWorker',
    args: [4],
    check: (value) => (value === 1 + 2 + 3 + 4 + 4 * 100 ? null : `sum ${value}`),
  },
  {
    exportName: 'relayed',
    args: [],
    check: (value) => (JSON.stringify(value) === '[500,500]' ? null : JSON.stringify(value)),
  },
  {
    exportName: 'outlivedByWorkers',
    args: [2],
    check: (value) =>
      value instanceof SharedArrayBuffer && new Int32Array(value)[0] > 0
        ? null
        : `not a written buffer: ${value}`,
  },
  { exportName: 'churn', args: [3], check: (value) => (value === 600 ? null : `count ${value}`) },
];

async function child(scenarioCount) {
  const sandbox = join(root, 'dist', 'src', 'sandbox');
  const { transpileSubmission } = require(join(sandbox, 'transpile-submission'));
  const { runMainThread } = require(join(sandbox, 'worker-threads', 'main-thread-run'));
  const { liveWorkerThreadIsolates } = require(join(sandbox, 'worker-threads', 'thread-isolate'));
  const { GradingDeadline } = require(join(sandbox, 'grading-deadline'));
  const { ConsoleBudget } = require(join(sandbox, 'console-budget'));
  const transpiled = await transpileSubmission(SUBMISSION);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const kept = []; // host copies of returned buffers, dropped a few scenarios later
  for (let index = 0; index < scenarioCount; index++) {
    const scenario = SCENARIOS[index % SCENARIOS.length];
    const evidence = await runMainThread({
      submission: transpiled.submission,
      exportName: scenario.exportName,
      args: scenario.args,
      wallTimeMs: 30_000,
      deadline: new GradingDeadline(60_000),
      memoryMbPerThread: 64,
      console: new ConsoleBudget(10_000),
    });
    const wrong =
      evidence.result.kind === 'resolved'
        ? scenario.check(evidence.result.value)
        : JSON.stringify(evidence.result);
    if (wrong) throw new Error(`scenario ${index} (${scenario.exportName}): ${wrong}`);
    if (liveWorkerThreadIsolates() !== 0) throw new Error(`scenario ${index}: isolates left alive`);
    kept.push(evidence.result.value);
    if (kept.length > 3) kept.shift();
    if (index % 3 === 2) globalThis.gc(); // --expose-gc
  }
  process.stdout.write(`ok ${scenarioCount}\n`);
}

function runProcess(scenarioCount) {
  return new Promise((resolve) => {
    const started = Date.now();
    const proc = spawn(
      process.execPath,
      [
        '--no-node-snapshot',
        '--expose-gc',
        join(__dirname, 'shared-buffer-lifetimes.js'),
        '--child',
        String(scenarioCount),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let output = '';
    proc.stdout.on('data', (chunk) => ((stdout += chunk), (output += chunk)));
    proc.stderr.on('data', (chunk) => (output += chunk));
    const hang = setTimeout(() => proc.kill('SIGKILL'), HANG_MS);
    proc.on('exit', (code, signal) => {
      clearTimeout(hang);
      const ms = Date.now() - started;
      const hung = signal === 'SIGKILL' && ms >= HANG_MS;
      const ok = code === 0 && stdout.split('\n').includes(`ok ${scenarioCount}`);
      resolve({ ok, code, signal, hung, ms, tail: output.trim().split('\n').slice(-3).join(' | ') });
    });
  });
}

async function parent() {
  const [processes = 30, scenarios = 60, parallel = 2] = process.argv.slice(2).map(Number);
  const ivmVersion = require(join(root, 'node_modules', 'isolated-vm', 'package.json')).version;
  console.log(
    `node ${process.version}, isolated-vm ${ivmVersion}, ${root}: ${processes} processes x ${scenarios} scenarios, ${parallel} at a time`,
  );
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < processes) {
      const number = ++next;
      const result = await runProcess(scenarios);
      results.push(result);
      if (!result.ok)
        console.log(
          `process ${number}: FAILED (${result.hung ? 'hung' : `code ${result.code}, signal ${result.signal}`}, ${result.ms} ms) ${result.tail.slice(0, 400)}`,
        );
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const failed = results.filter((result) => !result.ok);
  const times = results.map((result) => result.ms).sort((a, b) => a - b);
  console.log(
    `${failed.length} of ${results.length} processes failed (${failed.filter((r) => r.signal && !r.hung).length} by a signal, ${failed.filter((r) => r.hung).length} hung); ` +
      `${results.length * scenarios} scenarios; median process ${times[Math.floor(times.length / 2)]} ms`,
  );
  process.exitCode = failed.length ? 1 : 0;
}

if (process.argv[2] === '--child')
  child(Number(process.argv[3])).catch((error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  });
else void parent();
