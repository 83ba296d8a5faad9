#!/usr/bin/env node
/**
 * What the sandbox process's watchdog thread costs (src/sandbox/sandbox-watchdog.ts): start-up
 * time on the main thread, resident memory, idle CPU time (it wakes every 500 ms; it reads the
 * memory only while a job runs), and arming and disarming per job (which reads the RSS once). Measured on a bare node process (with --no-node-snapshot, as a sandbox process
 * runs) with and without the watchdog, in this run.
 *
 *   npm run build && node bench/sandbox-watchdog.js [idle seconds, default 30]
 */
const { spawn } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout } = require('node:timers');

const WATCHDOG = join(__dirname, '..', 'dist', 'src', 'sandbox', 'sandbox-watchdog.js');
const CEILING = join(__dirname, '..', 'dist', 'src', 'sandbox', 'sandbox-memory-ceiling.js');
const idleSeconds = Number(process.argv[2] ?? 30);

/** A child that optionally starts the watchdog, answers 'ready', then idles. */
const CHILD = `
const started = performance.now();
const ceiling = new (require(${JSON.stringify(CEILING)}).SandboxMemoryCeiling)();
const watchdog = process.argv[1] === 'with' ? new (require(${JSON.stringify(WATCHDOG)}).SandboxWatchdog)(process.ppid, ceiling) : undefined;
process.send({ startMs: performance.now() - started });
// Timed last, after memory and idle CPU were read: the loop's garbage would count as the watchdog's.
process.on('message', () => {
  const jobs = 1e5;
  const at = performance.now();
  for (let i = 0; i < jobs; i++) { watchdog?.arm(60000); watchdog?.disarm(); }
  process.send({ perJobUs: ((performance.now() - at) * 1000) / jobs });
});
setInterval(() => undefined, 1 << 30);
`;

function stat(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  return { cpuMs: (Number(fields[11]) + Number(fields[12])) * 10, rssKb };
}

async function measure(mode) {
  const child = spawn(process.execPath, ['--no-node-snapshot', '-e', CHILD, mode], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise((resolve) => child.once('message', resolve));
  await new Promise((done) => setTimeout(done, 1000));
  const before = stat(child.pid);
  await new Promise((done) => setTimeout(done, idleSeconds * 1000));
  const after = stat(child.pid);
  const timed = new Promise((resolve) => child.once('message', resolve));
  child.send('time-jobs');
  const { perJobUs } = await timed;
  child.kill('SIGKILL');
  return { ...ready, perJobUs, rssKb: after.rssKb, idleCpuMs: after.cpuMs - before.cpuMs };
}

(async () => {
  const without = await measure('without');
  const withWatchdog = await measure('with');
  console.log(`idle ${idleSeconds} s; CPU time in 10 ms ticks (the kernel's resolution)`);
  console.log(
    `without watchdog: start ${without.startMs.toFixed(1)} ms, RSS ${(without.rssKb / 1024).toFixed(1)} MB, idle CPU ${without.idleCpuMs} ms`,
  );
  console.log(
    `with watchdog:    start ${withWatchdog.startMs.toFixed(1)} ms, RSS ${(withWatchdog.rssKb / 1024).toFixed(1)} MB, idle CPU ${withWatchdog.idleCpuMs} ms, arm+disarm ${withWatchdog.perJobUs.toFixed(3)} µs per job`,
  );
})();
