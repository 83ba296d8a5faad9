#!/usr/bin/env node
/**
 * Runs the fault drills one after another (each is a process of its own, with its own Postgres and
 * Redis; they never run in parallel: several of them measure time), then prints each drill's summary
 * line again with its run time. Exit code 1 if any drill failed.
 *
 *   npm run build && node bench/drills/run.js [name...]      # all drills, or the named ones
 *   npm run drills -- worker-sigkill redis-outage
 *
 * Arguments after `--` go to every drill (e.g. `-- --students 4`), so name drills that share them.
 */
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { SUMMARY_PREFIX } = require('./lib/summary');

/** In the order the issue lists the findings they reproduce. */
const DRILLS = [
  'worker-sigkill',
  'worker-sigterm',
  'worker-sigterm-grace-0',
  'orphan-sandbox',
  'redis-outage',
  'postgres-outage',
  'api-sigkill',
  'embedded-sigkill',
  'student-limit',
  'burst',
];

/** Drills that are another drill's script with options of their own. */
const VARIANTS = {
  'worker-sigterm-grace-0': { script: 'worker-sigterm', args: ['--grace-ms', '0'] },
};

function parseCommandLine(argv) {
  const split = argv.indexOf('--');
  const names = split === -1 ? argv : argv.slice(0, split);
  const passThrough = split === -1 ? [] : argv.slice(split + 1);
  const unknown = names.filter((name) => !DRILLS.includes(name));
  if (unknown.length) {
    console.error(`unknown drill(s): ${unknown.join(', ')}; the drills are: ${DRILLS.join(', ')}`);
    process.exit(2);
  }
  return { names: names.length ? names : DRILLS, passThrough };
}

/** Runs one drill with its output shown as it comes; resolves with its exit code and summary line. */
function runOne(name, passThrough, onChild) {
  return new Promise((resolve) => {
    const { script, args } = VARIANTS[name] ?? { script: name, args: [] };
    const child = spawn(process.execPath, [path.join(__dirname, `${script}.js`), ...args, ...passThrough], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onChild(child);
    let summary = null;
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) if (line.startsWith(SUMMARY_PREFIX)) summary = line;
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), summary }));
  });
}

async function main() {
  const { names, passThrough } = parseCommandLine(process.argv.slice(2));
  let current = null;
  let interrupted = false;
  // A drill cleans up after itself on SIGINT; the runner forwards it and runs no further drill.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      interrupted = true;
      current?.kill(signal);
    });
  const results = [];
  for (const name of names) {
    if (interrupted) break;
    const load = os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
    console.log(`\n=== drill ${name} (load average ${load}, ${os.availableParallelism()} cpus)`);
    const started = performance.now();
    const { code, summary } = await runOne(name, passThrough, (child) => (current = child));
    current = null;
    results.push({ name, code, summary, seconds: (performance.now() - started) / 1000 });
  }
  console.log('\n=== results');
  for (const { name, code, summary, seconds } of results)
    console.log(
      `${summary ?? `drill ${name} FAIL | no summary line (exit code ${code})`}   [${seconds.toFixed(0)} s]`,
    );
  process.exitCode = results.every((result) => result.code === 0) && !interrupted ? 0 : 1;
}

main();
