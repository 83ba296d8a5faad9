#!/usr/bin/env node
/**
 * Sandbox overhead: what grading one trivial submission costs in our sandbox (transpile with
 * esbuild, fresh isolate, load, call the export, dispose) against the obvious alternative, a
 * fresh `node` process per submission running the transpiled file. Both measured in this run.
 * Then what a real grading costs inside one sandbox process: the fetch-all reference solution
 * graded end to end by gradeSubmission (transpile, one isolate, five scenarios, the grader's
 * checks, the report), without the pool's IPC. CPU time is the process's own (esbuild's child
 * process works beside it).
 *
 *   npm run build && node bench/sandbox-overhead.js [iterations]
 *     [--only isolate,process,fetch-all]   (some of the three measurements)
 *     [--root DIR]   (grade with another checkout's dist/, e.g. the old runtime's; see checkout-runtime.js)
 *     [--json]       (one JSON object on stdout instead of the table; bench/runtime-compare.js reads it)
 */
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { checkoutRoot, runtimeVersions } = require('./checkout-runtime');

// isolated-vm needs --no-node-snapshot (Node 20 and later): re-run this script with it.
if (!process.execArgv.includes('--no-node-snapshot')) {
  const result = spawnSync(process.execPath, ['--no-node-snapshot', ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

const args = process.argv.slice(2);
const root = checkoutRoot(args);
const onlyAt = args.findIndex((arg) => arg === '--only' || arg.startsWith('--only='));
const only = onlyAt === -1 ? '' : args[onlyAt].includes('=') ? args[onlyAt].split('=')[1] : args[onlyAt + 1];
const measured = (part) => only === '' || only.split(',').includes(part);
const asJson = args.includes('--json');
const dist = join(root, 'dist', 'src', 'sandbox');
const { transpileSubmission } = require(join(dist, 'transpile-submission'));
const { runAsyncScenario } = require(join(dist, 'async-scenario-run'));
const { ConsoleBudget } = require(join(dist, 'console-budget'));
const { GradingIsolate } = require(join(dist, 'grading-isolate'));
const { GradingDeadline } = require(join(dist, 'grading-deadline'));
const { gradeSubmission } = require(join(root, 'dist', 'src', 'grading', 'grade-submission'));
const { ExerciseCatalog } = require(join(root, 'dist', 'src', 'exercises', 'exercise-catalog'));

const SUBMISSION = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const LIMITS = { timeoutMs: 5000, memoryMb: 64, maxConsoleBytes: 65536 };
const iterations = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 200);

async function inSandbox() {
  // As gradeSubmission does: a fresh isolate per submission, built while esbuild transpiles.
  const transpiling = transpileSubmission(SUBMISSION);
  const isolate = new GradingIsolate({ memoryMb: LIMITS.memoryMb });
  const transpiled = await transpiling;
  let evidence;
  try {
    evidence = await runAsyncScenario(
      {
        submission: transpiled.submission,
        isolate,
        randomState: [1, 2, 3, 4],
        deadline: new GradingDeadline(LIMITS.timeoutMs),
        console: new ConsoleBudget(LIMITS.maxConsoleBytes),
      },
      { exportName: 'add', args: [{ value: 1 }, { value: 2 }], services: {} },
    );
  } finally {
    isolate.dispose();
  }
  if (evidence.result.kind !== 'resolved' || evidence.result.value !== 3)
    throw new Error(`sandbox run went wrong: ${JSON.stringify(evidence.result)}`);
}

async function processPerSubmission(scriptFile) {
  const transpiled = await transpileSubmission(SUBMISSION);
  writeFileSync(
    scriptFile,
    `${transpiled.submission.javascript}\nprocess.stdout.write(String(module.exports.add(1, 2)));\n`,
  );
  const child = spawnSync(process.execPath, [scriptFile], { encoding: 'utf8' });
  if (child.stdout !== '3') throw new Error(`child process went wrong: ${child.stderr}`);
}

const fetchAll = ExerciseCatalog.load(join(root, 'exercises')).get('fetch-all');
const fetchAllSolution = readFileSync(join(root, 'exercises', 'fetch-all', 'solution.ts'), 'utf8');
let gradings = 0;

async function gradeFetchAll() {
  // A new seed each time: new cases, so nothing is graded twice the same way.
  const report = await gradeSubmission({
    exercise: fetchAll,
    code: fetchAllSolution,
    seed: `bench-${gradings++}`,
  });
  if (report.status !== 'passed') throw new Error(`fetch-all grading went wrong: ${JSON.stringify(report)}`);
}

async function measure(run, count) {
  for (let i = 0; i < 5; i++) await run(); // warm-up: esbuild's service, JIT
  const samples = [];
  const cpuSamples = [];
  for (let i = 0; i < count; i++) {
    const startedAt = process.hrtime.bigint();
    const cpuAtStart = process.cpuUsage();
    await run();
    const cpu = process.cpuUsage(cpuAtStart);
    samples.push(Number(process.hrtime.bigint() - startedAt) / 1e6);
    cpuSamples.push((cpu.user + cpu.system) / 1000);
  }
  const at = (values, q) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
  return { median: at(samples, 0.5), p95: at(samples, 0.95), cpuMedian: at(cpuSamples, 0.5) };
}

(async () => {
  const scriptFile = join(mkdtempSync(join(tmpdir(), 'lockstep-bench-')), 'solution.js');
  const processCount = Math.max(20, Math.floor(iterations / 4));
  const gradingCount = Math.max(50, Math.floor(iterations / 2));
  const results = {};
  if (measured('isolate')) results.isolate = { ...(await measure(inSandbox, iterations)), n: iterations };
  if (measured('process'))
    results.process = {
      ...(await measure(() => processPerSubmission(scriptFile), processCount)),
      n: processCount,
    };
  if (measured('fetch-all'))
    results.fetchAll = { ...(await measure(gradeFetchAll, gradingCount)), n: gradingCount };
  if (asJson) {
    process.stdout.write(`${JSON.stringify({ runtime: runtimeVersions(root), root, ...results })}\n`);
    return;
  }
  const row = (name, s) =>
    `${name.padEnd(34)} ${s.median.toFixed(2).padStart(8)} ${s.p95.toFixed(2).padStart(8)}   (n=${s.n})`;
  console.log(`node ${process.version}, ${require('node:os').availableParallelism()} cpus`);
  console.log(`${'ms per trivial submission'.padEnd(34)} ${'median'.padStart(8)} ${'p95'.padStart(8)}`);
  if (results.isolate) console.log(row('isolate (transpile+isolate+dispose)', results.isolate));
  if (results.process) console.log(row('fresh node process per submission', results.process));
  if (results.isolate && results.process)
    console.log(
      `ratio (process / isolate, median): ${(results.process.median / results.isolate.median).toFixed(1)}x`,
    );
  if (results.fetchAll) {
    console.log(row('fetch-all reference, full grading', results.fetchAll));
    console.log(
      `  sandbox process CPU per grading (median): ${results.fetchAll.cpuMedian.toFixed(2)} ms, so about ${Math.floor(1000 / results.fetchAll.cpuMedian)} gradings/s per core`,
    );
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
