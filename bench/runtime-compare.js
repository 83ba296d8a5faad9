#!/usr/bin/env node
/**
 * Old runtime against new (issue 11), in one run: each measurement runs as a child process of the
 * given Node in the given checkout (already built), old and new one after the other, so both see
 * the same machine. The order flips every run (old first, then new first), so neither side always
 * follows the other. The children are this repository's benches, pointed at a checkout with
 * `--root` and read through `--json`:
 *   - sandbox-overhead.js --only isolate,process: a trivial submission in the sandbox, and a fresh
 *     `node` process per submission for comparison;
 *   - sandbox-overhead.js --only fetch-all: the fetch-all reference graded in-process (wall, CPU);
 *   - grading-determinism.js, one thread exercise's reference through a SandboxPool of one process
 *     with the server's seed, after uncounted warm-up gradings.
 * Prints a Markdown table (medians, min–max, samples) and the Node and isolated-vm of each side.
 *
 *   node bench/runtime-compare.js --old /work/old-runtime=/usr/bin/node --new .=/work/main/.node/26/bin/node
 *   npm run bench:runtimes -- --old /work/old-runtime=/usr/bin/node   (--new: this repository, this Node)
 *     [--runs 5] [--gradings 2] [--warmup 1] [--iterations 200] [--exercises race-free-counter,barrier]
 *     [--raw results.json]   (every child's JSON, for keeping)
 */
const { spawn } = require('node:child_process');
const { existsSync, writeFileSync } = require('node:fs');
const { availableParallelism, loadavg } = require('node:os');
const { delimiter, dirname, join, resolve } = require('node:path');
const { summaryTable, runtimeLines } = require('./runtime-compare-table');

const THREAD_EXERCISES = [
  'race-free-counter',
  'producer-consumer',
  'dining-philosophers',
  'parallel-primes',
  'reentrant-lock',
  'barrier',
];

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at].includes('=') ? args[at].slice(name.length + 3) : args[at + 1];
};
const RUNS = Number(option('runs', 5));
const GRADINGS = Number(option('gradings', 2));
const WARMUP = Number(option('warmup', 1));
const ITERATIONS = Number(option('iterations', 200));
const EXERCISES = option('exercises', THREAD_EXERCISES.join(',')).split(',').filter(Boolean);
const RAW_FILE = option('raw', '');

/** `--old DIR=NODE`: a built checkout and the Node binary to run it with. */
function side(name, fallback) {
  const value = option(name, fallback);
  const split = value.lastIndexOf('=');
  if (split <= 0)
    throw new Error(`--${name} must be <checkout>=<node binary>, e.g. --${name} .=/usr/bin/node`);
  const root = resolve(value.slice(0, split));
  const node = resolve(value.slice(split + 1));
  if (!existsSync(join(root, 'dist', 'src', 'sandbox', 'sandbox-pool.js')))
    throw new Error(`${root} has no dist/: build it first (npm run build) with its own Node`);
  if (!existsSync(node)) throw new Error(`no Node binary at ${node}`);
  return { name, root, node };
}

const BENCH = __dirname;
const measurements = [
  {
    id: 'trivial',
    script: 'sandbox-overhead.js',
    args: [String(ITERATIONS), '--only', 'isolate,process'],
  },
  { id: 'fetch-all', script: 'sandbox-overhead.js', args: [String(ITERATIONS), '--only', 'fetch-all'] },
  ...EXERCISES.map((slug) => ({
    id: slug,
    script: 'grading-determinism.js',
    args: [
      '--exercise',
      slug,
      '--files',
      'solution.ts',
      '--pool',
      '1',
      '--runs',
      String(GRADINGS),
      '--warmup',
      String(WARMUP),
    ],
  })),
];

/** Runs one bench in a checkout with its Node; resolves with the JSON it printed. */
function runChild(target, measurement) {
  const childArgs = ['--no-node-snapshot', join(BENCH, measurement.script), ...measurement.args];
  childArgs.push('--root', target.root, '--json');
  return new Promise((done) => {
    const child = spawn(target.node, childArgs, {
      cwd: target.root,
      // Anything that starts `node` by name gets the same one.
      env: { ...process.env, PATH: `${dirname(target.node)}${delimiter}${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code, signal) => {
      // V8 prints some warnings on stdout with C's buffered stdio, so they can follow the JSON.
      const lines = stdout.split('\n').filter((line) => line.trim() !== '');
      const jsonLine = lines.findLast((line) => line.startsWith('{')) ?? '';
      const output = [...lines.filter((line) => line !== jsonLine), ...stderr.split('\n')].join('\n');
      if (code === 0) {
        try {
          return done({ ok: true, result: JSON.parse(jsonLine), output });
        } catch {
          // Falls through: a zero exit without JSON is a failure too.
        }
      }
      done({ ok: false, error: `exit ${code ?? signal}: ${(stderr || stdout).trim().slice(-2000)}`, output });
    });
  });
}

/** Lines a child wrote besides its JSON and its own progress lines (grading-determinism's). */
const unexpectedOutput = (output) =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .filter((line) => !/^\S+\/solution\.ts\s|^\d+ gradings per file/.test(line));

async function main() {
  // --new defaults to this repository on the Node running this script (npm run bench:runtimes).
  const sides = [side('old', ''), side('new', `${resolve(__dirname, '..')}=${process.execPath}`)];
  const startedAt = Date.now();
  const loads = [loadavg()[0]];
  const samples = [];
  const failures = [];
  const notes = new Set();
  const total = RUNS * measurements.length * sides.length;
  console.error(
    `${RUNS} runs x ${measurements.length} measurements x 2 runtimes = ${total} children; load average ${loads[0].toFixed(2)}`,
  );
  for (let run = 1; run <= RUNS; run++) {
    const order = run % 2 === 1 ? sides : [...sides].reverse();
    for (const measurement of measurements) {
      for (const target of order) {
        const childStart = Date.now();
        const outcome = await runChild(target, measurement);
        loads.push(loadavg()[0]);
        const seconds = ((Date.now() - childStart) / 1000).toFixed(1);
        const done = samples.length + failures.length + 1;
        const where = `[${done}/${total}] run ${run} ${measurement.id} ${target.name}`;
        if (!outcome.ok) {
          failures.push({ run, measurement: measurement.id, side: target.name, error: outcome.error });
          console.error(`${where}: FAILED after ${seconds} s\n${outcome.error}`);
          continue;
        }
        for (const line of unexpectedOutput(outcome.output)) notes.add(`${target.name}: ${line}`);
        samples.push({ run, measurement: measurement.id, side: target.name, result: outcome.result });
        const elapsed = ((Date.now() - startedAt) / 60000).toFixed(1);
        console.error(`${where}: ${seconds} s (${elapsed} min so far, load ${loadavg()[0].toFixed(2)})`);
      }
    }
  }
  const minutes = (Date.now() - startedAt) / 60000;
  if (RAW_FILE !== '') writeFileSync(RAW_FILE, JSON.stringify({ sides, samples, failures }, null, 2));

  console.log(`## Old runtime against new: ${new Date().toISOString().slice(0, 16)}Z\n`);
  console.log(`    node bench/runtime-compare.js ${args.join(' ')}\n`);
  for (const line of runtimeLines(sides, samples)) console.log(line);
  console.log(
    `- ${RUNS} run${RUNS === 1 ? '' : 's'}, order flipped each run; ${availableParallelism()} cpus; load average (1 min) ` +
      `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)} over the run; ${minutes.toFixed(1)} min in all\n`,
  );
  for (const line of summaryTable(sides, samples, { runs: RUNS, exercises: EXERCISES })) console.log(line);
  if (notes.size > 0) console.log('\nWhat children printed besides their results (each line once):');
  for (const note of notes) console.log(`- ${note}`);
  if (failures.length > 0) {
    console.log(`\n**${failures.length} children failed**:`);
    for (const failure of failures)
      console.log(
        `- run ${failure.run} ${failure.measurement} ${failure.side}: ${failure.error.split('\n')[0]}`,
      );
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error.message ?? error);
  process.exit(1);
});
