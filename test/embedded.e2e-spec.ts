import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.join(__dirname, '..');
const solution = readFileSync(path.join(root, 'exercises', 'fetch-all', 'solution.ts'), 'utf8');

/**
 * The embedded default as a newcomer runs it: `node dist/src/main.js` with no DATABASE_URL and no
 * REDIS_URL, in a fresh folder. It must start, grade a submission, and still have it after a restart.
 */
describe('the embedded default (no configuration)', () => {
  let workDir: string;
  let port: number;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-embedded-'));
    port = await freePort();
  });
  afterAll(async () => rm(workDir, { recursive: true, force: true }));

  it('starts, prints first tokens once, grades a submission, and keeps it across a restart', async () => {
    const first = await startLockstep(workDir, port);
    let submissionId: string;
    const token = first.output.match(/student\s+\S+\s+(lst_\S+)/)?.[1];
    try {
      expect(token).toBeDefined();
      const response = await fetch(`http://127.0.0.1:${port}/api/submissions?wait=30`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ exercise: 'fetch-all', code: solution }),
      });
      const body = (await response.json()) as { id: string };
      expect(response.status).toBe(200);
      expect(body).toMatchObject({ status: 'graded', report: { status: 'passed' } });
      submissionId = body.id;
    } finally {
      await stop(first.process);
    }

    const second = await startLockstep(workDir, port);
    try {
      expect(second.output).not.toMatch(/lst_/); // tokens are printed on the first start only
      const response = await fetch(`http://127.0.0.1:${port}/api/submissions/${submissionId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        id: submissionId,
        status: 'graded',
        report: { status: 'passed' },
      });
    } finally {
      await stop(second.process);
    }
  }, 120_000);
});

describe('the embedded default after a crash', () => {
  let workDir: string;
  let port: number;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-crash-'));
    port = await freePort();
  });
  afterAll(async () => rm(workDir, { recursive: true, force: true }));

  it('grades a submission that was mid-grading when the process was killed, and removes its socket folder', async () => {
    const first = await startLockstep(workDir, port);
    const token = first.output.match(/student\s+\S+\s+(lst_\S+)/)?.[1];
    let submissionId: string;
    try {
      // Runs until the exercise's time limit, so it is surely still grading when the process dies.
      const spin = 'export async function fetchAll(urls: string[]) { for (;;) {} }';
      const response = await fetch(`http://127.0.0.1:${port}/api/submissions?wait=1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ exercise: 'fetch-all', code: spin }),
      });
      let body = (await response.json()) as { id: string; status: string };
      submissionId = body.id;
      // On a busy machine the worker may not have claimed it within the second: wait until it has.
      const claimedBy = Date.now() + 20_000;
      while (body.status === 'queued' && Date.now() < claimedBy) {
        await new Promise((r) => setTimeout(r, 100));
        const again = await fetch(`http://127.0.0.1:${port}/api/submissions/${submissionId}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        body = (await again.json()) as typeof body;
      }
      expect(body.status).toBe('running');
    } finally {
      first.process.kill('SIGKILL');
      await once(first.process, 'exit');
    }
    // The killed process could not remove its database socket's folder; the next start does.
    const socketDir = readFileSync(path.join(workDir, '.lockstep', 'db', 'socket-dir'), 'utf8');
    expect(existsSync(socketDir)).toBe(true);

    const second = await startLockstep(workDir, port);
    expect(existsSync(socketDir)).toBe(false);
    try {
      const deadline = Date.now() + 60_000;
      let body: { status: string; attempts: number; report: { status: string } | null };
      do {
        await new Promise((r) => setTimeout(r, 250));
        const response = await fetch(`http://127.0.0.1:${port}/api/submissions/${submissionId}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        body = (await response.json()) as typeof body;
      } while (body.status !== 'graded' && Date.now() < deadline);
      expect(body).toMatchObject({ status: 'graded', attempts: 2, report: { status: 'timeout' } });
    } finally {
      await stop(second.process);
    }
  }, 120_000);
});

/** Starts the built server in `cwd` with a clean environment and resolves once it listens. */
async function startLockstep(cwd: string, port: number): Promise<{ process: ChildProcess; output: string }> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    LOG_LEVEL: 'log',
  };
  const child = spawn(process.execPath, ['--no-node-snapshot', path.join(root, 'dist', 'src', 'main.js')], {
    cwd,
    env,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 60_000;
  while (!/listening on/.test(output)) {
    if (child.exitCode !== null) throw new Error(`lockstep exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`lockstep did not start in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300)); // the first-start tokens follow the listening line
  return { process: child, output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await once(child, 'exit');
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}
