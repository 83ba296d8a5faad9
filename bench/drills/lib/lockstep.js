/**
 * Lockstep as an operator runs it, from the compiled build in dist/: the API (LOCKSTEP_ROLE=api),
 * grading workers (dist/src/worker.js) and the embedded default (dist/src/main.js with nothing
 * configured), each a real process of its own; students created with the `lockstep users` command.
 */
const { execFile } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');
const { startProcess } = require('./processes');

const ROOT = path.join(__dirname, '..', '..', '..');
const DIST = path.join(ROOT, 'dist', 'src');
const START_TIMEOUT_MS = 90_000;

function requireBuild() {
  if (!existsSync(path.join(DIST, 'main.js')) || !existsSync(path.join(DIST, 'worker.js')))
    throw new Error('no compiled server in dist/: run `npm run build` first');
}

/**
 * The environment of a Lockstep process: the drill's own services and settings, nothing the shell
 * points at (a DATABASE_URL or REDIS_URL left in the shell must never reach the shared services).
 */
function lockstepEnv(settings) {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key.startsWith('LOCKSTEP_') || ['DATABASE_URL', 'REDIS_URL', 'PORT'].includes(key)) delete env[key];
  return { ...env, LOCKSTEP_HOST: '127.0.0.1', ...settings };
}

/** Node as the package.json scripts run it: isolated-vm needs --no-node-snapshot (Node 20 and later). */
function startNode(drill, name, script, env) {
  return startProcess(drill, {
    name,
    command: process.execPath,
    args: ['--no-node-snapshot', path.join(DIST, script)],
    env,
    cwd: ROOT,
  });
}

/** The HTTP API alone (LOCKSTEP_ROLE=api), or with `role: 'all'` API and worker in one process. */
async function startApi(drill, env, { name = 'api', role = 'api' } = {}) {
  const api = startNode(drill, name, 'main.js', { ...env, LOCKSTEP_ROLE: role });
  await api.waitForOutput(/listening on/, START_TIMEOUT_MS);
  api.base = `http://127.0.0.1:${env.LOCKSTEP_PORT}/api`;
  return api;
}

/** A grading worker process (`npm run start:worker`), once it takes jobs. */
async function startWorker(drill, env, { name = 'worker' } = {}) {
  const worker = startNode(drill, name, 'worker.js', env);
  await worker.waitForOutput(/grading worker started/, START_TIMEOUT_MS);
  return worker;
}

/**
 * Students enrolled in the course, through the `lockstep users create` command's code, all in one
 * process (one process per user would start the database client hundreds of times). The command
 * migrates the database first, as the CLI does. Returns [{ email, token }].
 */
async function createStudents(drill, env, { count, prefix = 'student' }) {
  const script = `
    const { runUsersCommand } = require(${JSON.stringify(path.join(DIST, 'users', 'users.command.js'))});
    (async () => {
      for (let i = 0; i < ${count}; i++) {
        const email = '${prefix}-' + i + '@drill.test';
        const argv = ['create', '--name', 'Drill ' + i, '--email', email, '--role', 'student', '--course', 'concurrency'];
        if ((await runUsersCommand(argv)) !== 0) process.exit(1);
      }
    })();`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-node-snapshot', '-e', script], {
    cwd: ROOT,
    env,
    timeout: 60_000 + count * 2_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const created = [...stdout.matchAll(/<(\S+@drill\.test)>[\s\S]*?(lst_\S+)/g)].map((match) => ({
    email: match[1],
    token: match[2],
  }));
  if (created.length !== count)
    throw new Error(`users create made ${created.length} students, not ${count}: ${stdout.slice(0, 500)}`);
  drill.log(`created ${count} students with the users command`);
  return created;
}

module.exports = { createStudents, DIST, lockstepEnv, requireBuild, ROOT, startApi, startNode, startWorker };
