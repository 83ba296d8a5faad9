#!/usr/bin/env node
/**
 * End to end: submissions to one exercise (default fetch-all) through HTTP, queue, worker and
 * database, as students see it.
 * Starts its own server on a free loopback port with a fresh data dir (embedded) or a fresh Postgres
 * database and a Redis db of its own (postgres, split), creates students with the CLI, keeps
 * `--concurrency` submissions in flight (POST ?wait=30, then GET until graded), and prints graded/s
 * and submit→graded latency. Every report is checked: the reference solution must pass, each bad
 * variant must fail; one wrong report fails the run (exit 1).
 *
 *   npm run build && node bench/end-to-end.js [--mode embedded|postgres|split] [--workers K]
 *     [--exercise SLUG] [--solutions-only]
 *     [--submissions N] [--warmup W] [--concurrency C] [--students S] [--timeout-s T]
 *     [--worker-concurrency J] [--sandbox-processes P] [--server-node-arg ARG]... [--keep-logs]
 *
 * Postgres at --pg-url (default postgresql://postgres@127.0.0.1:5432/postgres) and Redis at
 * --redis-url (default redis://127.0.0.1:6379/9; that db must hold no Lockstep queue) for the
 * postgres and split modes. Traffic goes to 127.0.0.1 only; every process started is stopped.
 */
/* global fetch, performance, setTimeout, URL */
const { spawn, execFile } = require('node:child_process');
const { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync, createWriteStream } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort } = require('./drills/lib/ports');
const { parseArgs, promisify } = require('node:util');

const ROOT = path.join(__dirname, '..');
const QUEUE_KEYS = 'bull:lockstep-grading:*';

const { values: opts } = parseArgs({
  options: {
    mode: { type: 'string', default: 'embedded' },
    exercise: { type: 'string', default: 'fetch-all' },
    'solutions-only': { type: 'boolean', default: false },
    workers: { type: 'string', default: '1' },
    submissions: { type: 'string', default: '400' },
    warmup: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '32' },
    students: { type: 'string', default: '4' },
    'timeout-s': { type: 'string', default: '300' },
    'worker-concurrency': { type: 'string' },
    'sandbox-processes': { type: 'string' },
    'server-node-arg': { type: 'string', multiple: true, default: [] },
    'pg-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/postgres' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379/9' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const EXERCISE_DIR = path.join(ROOT, 'exercises', opts.exercise);
if (!existsSync(path.join(EXERCISE_DIR, 'exercise.json')))
  fail(`--exercise: no exercises/${opts.exercise}/exercise.json`);
const MODES = ['embedded', 'postgres', 'split'];
if (!MODES.includes(opts.mode)) fail(`--mode must be one of ${MODES.join(', ')}`);
const count = (name) => {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number`);
  return n;
};
const N = count('submissions');
const WARMUP = count('warmup');
const CONCURRENCY = Math.max(1, count('concurrency'));
const STUDENTS = Math.max(1, count('students'));
const DEADLINE = Date.now() + count('timeout-s') * 1000;

const started = []; // child processes, stopped in cleanup()
const cleanups = [];
const logDir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-e2e-'));

function fail(message) {
  console.error(`end-to-end bench: ${message}`);
  process.exit(2);
}

/** The reference solution and every bad variant, each with the status its report must have. */
function submissionsToSend() {
  const variants = [
    {
      name: 'solution',
      code: readFileSync(path.join(EXERCISE_DIR, 'solution.ts'), 'utf8'),
      expect: 'passed',
    },
  ];
  for (const file of opts['solutions-only'] ? [] : readdirSync(path.join(EXERCISE_DIR, 'bad')).sort()) {
    variants.push({
      name: `bad/${file}`,
      code: readFileSync(path.join(EXERCISE_DIR, 'bad', file), 'utf8'),
      expect: 'failed',
    });
  }
  // Half reference solutions, half bad variants in turn; a trailing comment makes every file (and seed) unique.
  const bad = variants.slice(1);
  return Array.from({ length: WARMUP + N }, (_, i) => {
    const variant = i % 2 === 0 || bad.length === 0 ? variants[0] : bad[((i - 1) / 2) % bad.length];
    return { ...variant, code: `${variant.code}\n// end-to-end bench submission ${i}\n` };
  });
}

/** The environment for Lockstep processes: ours, without any database or queue the shell points at. */
function lockstepEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key === 'DATABASE_URL' || key === 'REDIS_URL' || key === 'PORT') delete env[key];
  for (const key of ['LOCKSTEP_ROLE', 'LOCKSTEP_PORT', 'LOCKSTEP_DATA_DIR', 'LOCKSTEP_HOST']) delete env[key];
  if (opts['worker-concurrency']) env.LOCKSTEP_WORKER_CONCURRENCY = opts['worker-concurrency'];
  if (opts['sandbox-processes']) env.LOCKSTEP_SANDBOX_PROCESSES = opts['sandbox-processes'];
  // Never more than CONCURRENCY submissions are unfinished, so the per-student limit never refuses one.
  env.LOCKSTEP_MAX_QUEUED_PER_STUDENT = String(CONCURRENCY);
  return { ...env, ...extra };
}

/** Starts a Lockstep process in its own process group, so its sandbox children are stopped with it. */
function startProcess(name, script, env) {
  const args = ['--no-node-snapshot', ...opts['server-node-arg'], path.join(ROOT, 'dist', 'src', script)];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(path.join(logDir, `${name}.log`));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.output = '';
  child.stdout.on('data', (chunk) => (child.output = (child.output + chunk).slice(-20_000)));
  child.name = name;
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  started.push(child);
  return child;
}

async function stopProcess(child) {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timedOut = await Promise.race([child.exited.then(() => false), sleep(15_000).then(() => true)]);
    if (timedOut) console.error(`${child.name} did not stop within 15 s of SIGTERM; killing it`);
  }
  try {
    process.kill(-child.pid, 'SIGKILL'); // anything of its group still alive (sandbox processes)
  } catch {
    // the group is gone already
  }
}

async function waitForOutput(child, pattern) {
  while (!pattern.test(child.output)) {
    if (child.exitCode !== null)
      throw new Error(`${child.name} exited (${child.exitCode}); log in ${logDir}`);
    if (Date.now() > DEADLINE) throw new Error(`${child.name} did not start in time; log in ${logDir}`);
    await sleep(100);
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Students through the users command of the build (the one `lockstep users create` runs), all in one
 * process; it migrates the fresh database first, as the CLI does.
 */
async function createStudents(env) {
  const stamp = Date.now().toString(36);
  const script = `
    const { runUsersCommand } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'users', 'users.command.js'))});
    (async () => {
      for (let i = 0; i < ${STUDENTS}; i++) {
        const argv = ['create', '--name', 'Bench ' + i, '--email', 'bench-${stamp}-' + i + '@example.test', '--role', 'student', '--course', 'concurrency'];
        if ((await runUsersCommand(argv)) !== 0) process.exit(1);
      }
    })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-node-snapshot', '-e', script], {
    cwd: ROOT,
    env,
  });
  const tokens = [...stdout.matchAll(/(lst_\S+)/g)].map((match) => match[1]);
  if (tokens.length !== STUDENTS)
    throw new Error(`users create printed ${tokens.length} tokens, not ${STUDENTS}: ${stdout}`);
  return tokens;
}

async function freshPostgres() {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: opts['pg-url'] });
  await admin.connect();
  const name = `lockstep_bench_${process.pid}_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new Client({ connectionString: opts['pg-url'] });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(opts['pg-url']);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The Redis db must hold no Lockstep queue: the queue name is fixed, so sharing a db would mix runs. */
async function emptyRedisDb() {
  const Redis = require('ioredis');
  const redis = new Redis(opts['redis-url'], { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const keys = await redis.keys(QUEUE_KEYS);
  if (keys.length) {
    redis.disconnect();
    throw new Error(
      `${opts['redis-url']} already holds a Lockstep queue (${keys.length} keys); pass --redis-url with another db`,
    );
  }
  cleanups.push(async () => {
    const left = await redis.keys(QUEUE_KEYS);
    if (left.length) await redis.del(...left);
    redis.disconnect();
  });
  return opts['redis-url'];
}

/** Starts the server for the mode; returns its base URL and student tokens. */
async function startLockstep() {
  const port = await freePort();
  const env = lockstepEnv({ LOCKSTEP_PORT: String(port), LOCKSTEP_HOST: '127.0.0.1' });
  if (opts.mode === 'embedded') env.LOCKSTEP_DATA_DIR = path.join(logDir, 'data');
  else Object.assign(env, { DATABASE_URL: await freshPostgres(), REDIS_URL: await emptyRedisDb() });
  const tokens = await createStudents(env); // migrates the fresh database first
  const api = startProcess('server', 'main.js', {
    ...env,
    LOCKSTEP_ROLE: opts.mode === 'split' ? 'api' : 'all',
  });
  await waitForOutput(api, /listening on/);
  if (opts.mode === 'split') {
    const workers = Array.from({ length: Math.max(1, count('workers')) }, (_, i) =>
      startProcess(`worker-${i}`, 'worker.js', env),
    );
    for (const worker of workers) await waitForOutput(worker, /grading worker started/);
  }
  return { base: `http://127.0.0.1:${port}/api`, tokens };
}

async function call(base, token, method, route, body) {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300)
    throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** Submits one file and follows it until graded; returns client latency and the server's own timestamps. */
async function submitAndFollow(base, token, item) {
  const sentAt = performance.now();
  const sentAtWall = Date.now();
  let view = await call(base, token, 'POST', '/submissions?wait=30', {
    exercise: opts.exercise,
    code: item.code,
  });
  while (view.status === 'queued' || view.status === 'running') {
    if (Date.now() > DEADLINE) throw new Error(`submission ${view.id} not graded before the time limit`);
    await sleep(50);
    view = await call(base, token, 'GET', `/submissions/${view.id}`);
  }
  const latencyMs = performance.now() - sentAt;
  const status = view.report?.status ?? `(${view.status}: ${view.error})`;
  const ms = (a, b) => new Date(b).getTime() - new Date(a).getTime();
  return {
    name: item.name,
    ok: status === item.expect,
    expected: item.expect,
    status,
    latencyMs,
    doneAt: performance.now(),
    // Wall clock against the server's timestamps: the same host, so the same clock.
    acceptMs: new Date(view.createdAt).getTime() - sentAtWall,
    queuedMs: ms(view.createdAt, view.startedAt),
    gradingMs: ms(view.startedAt, view.gradedAt),
    sandboxMs: view.report?.durationMs ?? NaN,
    answerMs: Date.now() - new Date(view.gradedAt).getTime(),
  };
}

/** Keeps CONCURRENCY submissions in flight until every item is graded. */
async function drive(base, tokens, items) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async (_, lane) => {
      for (let i = next++; i < items.length; i = next++) {
        results[i] = await submitAndFollow(base, tokens[lane % tokens.length], items[i]);
      }
    }),
  );
  return results;
}

function percentile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

/** CPU seconds of the Lockstep processes (Linux /proc): each process itself and its sandbox children. */
function cpuSeconds() {
  const ticks = 100; // USER_HZ
  const stat = (pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      // utime stime cutime cstime are fields 14-17 (1-based), here 12-15 from the state field
      return {
        ppid: Number(fields[1]),
        self: (+fields[11] + +fields[12]) / ticks,
        reaped: (+fields[13] + +fields[14]) / ticks,
      };
    } catch {
      return null;
    }
  };
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((pid) => ({ pid: Number(pid), ...stat(pid) }));
  const usage = {};
  for (const child of started) {
    const own = stat(child.pid);
    if (!own) continue;
    const sandboxes = all.filter((p) => p.ppid === child.pid).reduce((sum, p) => sum + p.self + p.reaped, 0);
    usage[child.name] = { process: own.self, sandboxes: sandboxes + own.reaped };
  }
  return usage;
}

function cpuReport(before, after, graded, elapsedMs) {
  for (const [name, end] of Object.entries(after)) {
    const start = before[name] ?? { process: 0, sandboxes: 0 };
    const own = end.process - start.process;
    const sandboxes = end.sandboxes - start.sandboxes;
    const perGraded = (seconds) => `${((seconds / graded) * 1000).toFixed(1)} ms/graded`;
    console.log(
      `  cpu ${name.padEnd(9)} itself ${own.toFixed(1)} s (${perGraded(own)}, ${((own / elapsedMs) * 1e5).toFixed(0)}% of a core), ` +
        `sandbox processes ${sandboxes.toFixed(1)} s (${perGraded(sandboxes)})`,
    );
  }
}

function summarize(results, elapsedMs) {
  const fmt = (v) => `${v.toFixed(0).padStart(6)} ms`;
  const rows = [
    ['submit → graded (client)', 'latencyMs'],
    ['  sent → created (HTTP, checks, insert)', 'acceptMs'],
    ['  created → claimed (queue)', 'queuedMs'],
    ['  claimed → graded (worker)', 'gradingMs'],
    ['    sandbox (report.durationMs)', 'sandboxMs'],
    ['  graded → client has it', 'answerMs'],
  ];
  const rate = ((results.length / elapsedMs) * 1000).toFixed(1);
  console.log(`graded ${results.length} in ${(elapsedMs / 1000).toFixed(2)} s: ${rate} graded/s`);
  for (const [label, field] of rows) {
    const values = results.map((r) => r[field]);
    const at = (q) => fmt(percentile(values, q));
    console.log(`  ${label.padEnd(40)} p50 ${at(0.5)}  p95 ${at(0.95)}  p99 ${at(0.99)}`);
  }
}

async function main() {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'main.js'))) fail('run `npm run build` first');
  const items = submissionsToSend();
  const load = os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
  console.log(
    `mode ${opts.mode}${opts.mode === 'split' ? ` (${opts.workers} workers)` : ''}: ${N} submissions after ${WARMUP} warm-up, ` +
      `${CONCURRENCY} in flight, ${STUDENTS} students; node ${process.version}, ${os.availableParallelism()} cpus, load ${load}`,
  );
  const { base, tokens } = await startLockstep();
  const warm = await drive(base, tokens, items.slice(0, WARMUP));
  const cpuBefore = cpuSeconds();
  const clientBefore = process.cpuUsage();
  const t0 = performance.now();
  const measured = await drive(base, tokens, items.slice(WARMUP));
  const elapsedMs = performance.now() - t0;
  summarize(measured, elapsedMs);
  cpuReport(cpuBefore, cpuSeconds(), measured.length, elapsedMs);
  const client = process.cpuUsage(clientBefore);
  const clientMs = (client.user + client.system) / 1000;
  console.log(
    `  cpu bench client (this process) ${(clientMs / 1000).toFixed(1)} s (${(clientMs / measured.length).toFixed(1)} ms/graded)`,
  );
  const wrong = [...warm, ...measured].filter((r) => !r.ok);
  for (const r of wrong.slice(0, 10))
    console.error(`  WRONG REPORT: ${r.name} expected ${r.expected}, got ${r.status}`);
  if (wrong.length)
    throw new Error(`${wrong.length} of ${warm.length + measured.length} reports had the wrong status`);
  console.log(
    `all ${warm.length + measured.length} reports as expected (solution passed, bad variants failed)`,
  );
}

async function cleanup() {
  for (const child of started.reverse()) await stopProcess(child);
  for (const step of cleanups.reverse())
    await step().catch((error) => console.error(`cleanup: ${error.message}`));
  if (opts['keep-logs'] || process.exitCode) console.log(`server logs in ${logDir}`);
  else rmSync(logDir, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  process.exitCode = 130;
  cleanup().finally(() => process.exit(130));
});

main()
  .catch((error) => {
    console.error(`end-to-end bench failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
