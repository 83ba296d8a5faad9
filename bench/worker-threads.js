#!/usr/bin/env node
/**
 * Threads the submission starts itself (node:worker_threads in the sandbox, ctx.runMain):
 *  1. start cost of one worker thread: isolate, context, runtime, module load, first message and
 *     exit, for workers started one after another and 16 at once;
 *  2. message cost: round trips main -> worker -> main through the host;
 *  3. speedup of a CPU-bound reference (primes below 5,000,000 by trial division, blocks dealt
 *     round-robin) with 1 and 2 workers: alternating runs, medians, in the sandbox and, for
 *     comparison, the same file under plain `node` with Node's own worker_threads.
 * Every run records the host's busy time, so a run disturbed by another process shows.
 *
 *   npm run bench:threads                # = npm run build && node bench/worker-threads.js [rounds]
 */
const { spawnSync, execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// isolated-vm needs --no-node-snapshot (Node 20 and later): re-run this script with it.
if (!process.execArgv.includes('--no-node-snapshot')) {
  const result = spawnSync(process.execPath, ['--no-node-snapshot', ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const root = join(__dirname, '..');
const sandbox = join(root, 'dist', 'src', 'sandbox');
const { transpileSubmission } = require(join(sandbox, 'transpile-submission'));
const { runMainThread } = require(join(sandbox, 'worker-threads', 'main-thread-run'));
const { liveWorkerThreadIsolates } = require(join(sandbox, 'worker-threads', 'thread-isolate'));
const { GradingDeadline } = require(join(sandbox, 'grading-deadline'));
const { ConsoleBudget } = require(join(sandbox, 'console-budget'));
const { buildSync } = require('esbuild');

const rounds = Number(process.argv[2] ?? 7);
const LIMIT = 5_000_000;

const SUBMISSION = `
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const BLOCK = 10_000;
function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}
function countShare(limit: number, threads: number, index: number): number {
  let count = 0;
  for (let start = index * BLOCK; start < limit; start += threads * BLOCK) {
    const end = Math.min(start + BLOCK, limit);
    for (let n = start; n < end; n++) if (isPrime(n)) count++;
  }
  return count;
}

if (!isMainThread) {
  const job = workerData as any;
  if (job.kind === 'count') parentPort!.postMessage(countShare(job.limit, job.threads, job.index));
  else if (job.kind === 'hello') parentPort!.postMessage('hello');
  else if (job.kind === 'echo') parentPort!.on('message', (m: number) => (m < 0 ? parentPort!.close() : parentPort!.postMessage(m)));
}

const once = (worker: Worker, event: string) => new Promise<any>((resolve) => worker.once(event, resolve));

export async function countPrimes(limit: number, threads: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: threads }, (_, index) => once(new Worker(__filename, { workerData: { kind: 'count', limit, threads, index } }), 'message')),
  );
  return counts.reduce((a, b) => a + b, 0);
}

export async function startOneAfterAnother(count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    const worker = new Worker(__filename, { workerData: { kind: 'hello' } });
    await once(worker, 'message');
    await once(worker, 'exit');
  }
  return count;
}

export async function startTogether(count: number): Promise<number> {
  const workers = Array.from({ length: count }, () => new Worker(__filename, { workerData: { kind: 'hello' } }));
  await Promise.all(workers.map((worker) => once(worker, 'exit')));
  return count;
}

export async function pingPong(roundTrips: number): Promise<number> {
  const worker = new Worker(__filename, { workerData: { kind: 'echo' } });
  for (let i = 0; i < roundTrips; i++) {
    const answered = once(worker, 'message');
    worker.postMessage(i);
    await answered;
  }
  worker.postMessage(-1);
  await once(worker, 'exit');
  return roundTrips;
}
`;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(1)} ms`;

async function main() {
  const transpiled = await transpileSubmission(SUBMISSION);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const run = async (exportName, ...args) => {
    const evidence = await runMainThread({
      submission: transpiled.submission,
      exportName,
      args,
      wallTimeMs: 60_000,
      deadline: new GradingDeadline(120_000),
      memoryMbPerThread: 64,
      console: new ConsoleBudget(10_000),
    });
    if (evidence.result.kind !== 'resolved')
      throw new Error(`${exportName}: ${JSON.stringify(evidence.result)}`);
    return evidence;
  };
  console.log(`node ${process.version}, ${rounds} rounds, host cores: ${require('node:os').cpus().length}`);
  await run('startOneAfterAnother', 4); // warm up: code caches of the runtime and the submission

  const oneByOne = [];
  const together = [];
  for (let round = 0; round < rounds; round++) {
    oneByOne.push((await run('startOneAfterAnother', 16)).wallMs / 16);
    together.push((await run('startTogether', 16)).wallMs);
  }
  console.log(`\n## Start cost (16 workers, median of ${rounds})`);
  console.log(`one after another (start, module, message, exit): ${ms(median(oneByOne))} per worker`);
  console.log(`16 started together until all exited: ${ms(median(together))}`);

  const trips = 2000;
  const pings = [];
  for (let round = 0; round < rounds; round++)
    pings.push(((await run('pingPong', trips)).wallMs / trips) * 1000);
  console.log(
    `\n## Messages\nround trip main -> worker -> main: ${median(pings).toFixed(0)} µs (median of ${rounds})`,
  );

  const sandboxed = { 1: [], 2: [] };
  const lines = [];
  for (let round = 0; round < rounds; round++) {
    for (const threads of [1, 2]) {
      const evidence = await run('countPrimes', LIMIT, threads);
      if (evidence.result.value !== 348_513) throw new Error(`wrong count ${evidence.result.value}`);
      sandboxed[threads].push(evidence.wallMs);
      const capacity = evidence.wallMs * evidence.host.cores;
      const busy = evidence.host.systemBusyMs / capacity;
      const ours = evidence.host.processCpuMs / capacity;
      lines.push(
        `round ${round + 1}, ${threads} worker${threads > 1 ? 's' : ' '}: wall ${ms(evidence.wallMs)}, ` +
          `worker CPU ${evidence.workers.map((w) => ms(w.cpuMs)).join(' + ')}, machine ${(busy * 100).toFixed(0)}% busy (this process ${(ours * 100).toFixed(0)}%)`,
      );
    }
  }
  console.log(`\n## Speedup, primes below ${LIMIT.toLocaleString('en')} (sandbox, alternating runs)`);
  for (const line of lines) console.log(line);
  const sandboxSpeedup = median(sandboxed[1]) / median(sandboxed[2]);
  console.log(
    `median 1 worker ${ms(median(sandboxed[1]))}, 2 workers ${ms(median(sandboxed[2]))}: speedup ${sandboxSpeedup.toFixed(2)}x`,
  );

  const plain = plainNode();
  console.log(
    `plain node, same file: median 1 worker ${ms(median(plain[1]))}, 2 workers ${ms(median(plain[2]))}: speedup ${(median(plain[1]) / median(plain[2])).toFixed(2)}x`,
  );
  console.log(`\nworker-thread isolates left: ${liveWorkerThreadIsolates()}`);
}

/** The same submission under plain Node, with Node's own worker_threads, timed the same way. */
function plainNode() {
  const folder = mkdtempSync(join(tmpdir(), 'lockstep-bench-threads-'));
  try {
    writeFileSync(join(folder, 'solution.ts'), SUBMISSION);
    buildSync({
      entryPoints: [join(folder, 'solution.ts')],
      outfile: join(folder, 'solution.js'),
      format: 'cjs',
      platform: 'node',
      logLevel: 'error',
    });
    const caller = `const { countPrimes } = require('./solution.js');
      (async () => {
        const times = { 1: [], 2: [] };
        for (let round = 0; round < ${rounds}; round++)
          for (const threads of [1, 2]) {
            const started = performance.now();
            await countPrimes(${LIMIT}, threads);
            times[threads].push(performance.now() - started);
          }
        process.stdout.write(JSON.stringify(times));
      })();`;
    writeFileSync(join(folder, 'caller.js'), caller);
    return JSON.parse(
      execFileSync(process.execPath, [join(folder, 'caller.js')], { cwd: folder, encoding: 'utf8' }),
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
