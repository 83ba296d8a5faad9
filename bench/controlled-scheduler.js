#!/usr/bin/env node
/**
 * What the controlled scheduler (src/sandbox/threads/controlled/, docs/scheduler.md) costs:
 *  1. opening a session: one isolate per thread, bootstrap, grader thread code, submission loaded;
 *  2. one step without a hand-over: a thread alone doing Atomics.load, and element reads through a
 *     scheduled view (a Proxy), against the same loops in a real (uncontrolled) run;
 *  3. one step with hand-overs: two threads under the random strategy (the turn changes hands on
 *     about half the steps);
 *  4. a whole short run as graders use them: 3 threads, a wait/notify mutex, 3 rounds each, fresh
 *     memory per run, 200 runs alternating random and PCT.
 *
 *   npm run build && node bench/controlled-scheduler.js [runs]
 */
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

// isolated-vm needs --no-node-snapshot (Node 20 and later): re-run this script with it.
if (!process.execArgv.includes('--no-node-snapshot')) {
  const result = spawnSync(process.execPath, ['--no-node-snapshot', ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const sandbox = join(__dirname, '..', 'dist', 'src', 'sandbox');
const { transpileSubmission } = require(join(sandbox, 'transpile-submission'));
const { ControlledSession } = require(join(sandbox, 'threads', 'controlled', 'controlled-session'));
const { runThreads } = require(join(sandbox, 'threads', 'thread-runtime'));
const { GradingDeadline } = require(join(sandbox, 'grading-deadline'));

const RUNS = Number(process.argv[2] ?? 200);
const LOOP_STEPS = 20_000;

const SUBMISSION = `
export function loads(cells: Int32Array, n: number) { let s = 0; for (let i = 0; i < n; i++) s += Atomics.load(cells, 0); return s; }
export function reads(cells: Int32Array, n: number) { let s = 0; for (let i = 0; i < n; i++) s += cells[0]; return s; }
export class Mutex {
  constructor(private state: Int32Array, private index = 0) {}
  lock() { while (Atomics.compareExchange(this.state, this.index, 0, 1) !== 0) Atomics.wait(this.state, this.index, 1); }
  unlock() { Atomics.store(this.state, this.index, 0); Atomics.notify(this.state, this.index, 1); }
}
export function locked(state: Int32Array, cells: Int32Array, rounds: number) {
  const mutex = new Mutex(state);
  for (let i = 0; i < rounds; i++) { mutex.lock(); cells[0] = cells[0] + 1; mutex.unlock(); }
}`;

const code = (call) => `(tools) => (exports, shared) => ${call}`;
const random = (run) => ({
  strategy: 'random',
  randomState: 7919 * run + 1,
  priorities: [],
  changePoints: [],
});
const pct = (run, threads) => ({
  strategy: 'pct',
  randomState: 1,
  priorities: Array.from({ length: threads }, (_, t) => 3 + ((t + run) % threads)),
  changePoints: [
    { step: 1 + ((run * 7) % 60), priority: 1 },
    { step: 1 + ((run * 13) % 90), priority: 2 },
  ],
});
const limits = { maxSteps: 1_000_000, spinLimit: 1000 };
const buffers = () => ({ cells: new SharedArrayBuffer(16), state: new SharedArrayBuffer(16) });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const transpiled = await transpileSubmission(SUBMISSION);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const submission = transpiled.submission;
  const open = (threadCount, threadSource) =>
    new ControlledSession({
      submission,
      threadCount,
      threadSource,
      memoryMbPerThread: 32,
      determinism: (thread) => ({ epochMs: 0, randomState: [thread + 1, 2, 3, 4] }),
    });
  const deadline = () => new GradingDeadline(30_000);

  // 1. Opening a session (isolates created, submission loaded on the first run).
  for (const threads of [1, 3, 8]) {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const session = open(threads, code('0'));
      await session.run(random(i), limits, buffers(), deadline());
      times.push(performance.now() - started);
      session.dispose();
    }
    console.log(
      `session of ${threads} thread(s), opened and one empty run: median ${median(times).toFixed(1)} ms`,
    );
  }

  // 2 and 3. Steps, alone and with hand-overs, against the same loop in a real run.
  const perStep = async (threads, call, schedule) => {
    const session = open(threads, code(call));
    await session.run(schedule(0, threads), limits, buffers(), deadline()); // warm up
    const times = [];
    for (let i = 1; i <= 5; i++) {
      const started = performance.now();
      const outcome = await session.run(schedule(i, threads), limits, buffers(), deadline());
      times.push(((performance.now() - started) * 1000) / outcome.steps);
    }
    session.dispose();
    return median(times);
  };
  const realPerOp = async (call) => {
    const times = [];
    for (let i = 0; i < 5; i++) {
      const outcome = await runThreads({
        submission,
        threadCount: 1,
        threadSource: code(call),
        shared: buffers(),
        limits: { wallTimeMs: 30_000, memoryMbPerThread: 32 },
      });
      times.push((outcome.wallMs * 1000) / LOOP_STEPS);
    }
    return median(times);
  };
  const loadCall = `exports.loads(new Int32Array(shared.cells), ${LOOP_STEPS})`;
  const readCall = `exports.reads(tools.scheduled(new Int32Array(shared.cells)), ${LOOP_STEPS})`;
  console.log(
    `Atomics.load, real run:             ${(await realPerOp(loadCall)).toFixed(3)} us per operation`,
  );
  console.log(
    `Atomics.load, controlled, alone:    ${(await perStep(1, loadCall, pct)).toFixed(3)} us per step`,
  );
  console.log(
    `element read, real run:             ${(await realPerOp(readCall)).toFixed(3)} us per operation`,
  );
  console.log(
    `element read, controlled, alone:    ${(await perStep(1, readCall, pct)).toFixed(3)} us per step`,
  );
  console.log(
    `Atomics.load, 2 threads, random:    ${(await perStep(2, loadCall, random)).toFixed(3)} us per step`,
  );

  // 4. Short runs as graders use them.
  const session = open(
    3,
    code('exports.locked(new Int32Array(shared.state), tools.scheduled(new Int32Array(shared.cells)), 3)'),
  );
  let steps = 0;
  const started = performance.now();
  for (let run = 0; run < RUNS; run++) {
    const outcome = await session.run(run % 2 ? pct(run, 3) : random(run), limits, buffers(), deadline());
    if (outcome.status !== 'completed') throw new Error(`run ${run}: ${outcome.status}`);
    steps += outcome.steps;
  }
  const elapsed = performance.now() - started;
  session.dispose();
  console.log(
    `${RUNS} runs of 3 threads x 3 mutex rounds: ${elapsed.toFixed(0)} ms, ${(elapsed / RUNS).toFixed(2)} ms per run, ` +
      `${(steps / RUNS).toFixed(0)} steps per run, ${((elapsed * 1000) / steps).toFixed(1)} us per step`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
