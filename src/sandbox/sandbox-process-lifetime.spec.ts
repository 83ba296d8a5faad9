/**
 * A sandbox process must not outlive its worker nor its job's wall limit, whatever the student code
 * does (issue 10, defect 2). Real processes: a miniature worker (a SandboxPool in a child process)
 * grades a race-free-counter submission whose lock() spins forever and is SIGKILLed mid-grading.
 * Needs the compiled dist/.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultExercisesDir, ExerciseCatalog } from '../exercises/exercise-catalog';
import type { OrphaningParentMessage } from './__fixtures__/orphaning-parent';
import { SPINNING_LOCK } from './__fixtures__/orphaning-parent';
import type { PlacingParentMessage } from './os-limits/__fixtures__/placing-parent';
import { SandboxOsLimits } from './os-limits/sandbox-os-limits';
import type { ParentToSandbox } from './sandbox-protocol';

const DIST = resolve(__dirname, '../../dist/src/sandbox');
const ORPHANING_PARENT = join(DIST, '__fixtures__/orphaning-parent.js');
const SANDBOX_PROCESS = join(DIST, 'sandbox-process.js');
const PLACING_PARENT = join(DIST, 'os-limits/__fixtures__/placing-parent.js');
const WATCHDOG_PROBE = join(DIST, '__fixtures__/watchdog-probe.js');
/** Generous: the defect was a process alive 480 s later; the fix is measured in milliseconds. */
const ORPHAN_BOUND_MS = 5000;

/** /proc/<pid>/stat, or undefined once the process is gone. */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; every field after it is plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Gone, or a zombie: it has released its memory and runs nothing, it only waits to be reaped. */
function processGone(pid: number): boolean {
  const fields = procStat(pid);
  return fields === undefined || fields[0] === 'Z';
}

/** CPU time (user + system) the process has used, in ms (clock ticks are 10 ms on Linux). */
function cpuMs(pid: number): number {
  const fields = procStat(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : 0;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > until) return false;
    await new Promise((done) => setTimeout(done, 10));
  }
  return true;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGKILL');
  await exited;
}

describe('a sandbox process whose worker dies', () => {
  afterAll(async () => {
    // The dead workers' cgroups (OS limits on) are removed by the next pool start, as in production.
    await new SandboxOsLimits({ unshareBinary: '/nonexistent' }).close();
  });

  it.each(['on', 'off'])(
    'dies within seconds when the worker is SIGKILLed while a spinning lock() is graded (OS limits %s)',
    async (limits) => {
      const worker = fork(ORPHANING_PARENT, [limits], {
        execArgv: ['--no-node-snapshot'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let sandboxPids: number[] = [];
      try {
        const message = await new Promise<OrphaningParentMessage>((resolve) =>
          worker.once('message', resolve),
        );
        sandboxPids = message.sandboxPids;
        // Mid-grading: the student's threads spin, so the process has burned a second of CPU.
        expect(await waitUntil(() => sandboxPids.every((pid) => cpuMs(pid) >= 1000), 60_000)).toBe(true);
        const killedAt = performance.now();
        await killAndWait(worker);
        await waitUntil(() => sandboxPids.every(processGone), ORPHAN_BOUND_MS);
        const lifetimeMs = Math.round(performance.now() - killedAt);
        console.log(`orphaned sandbox process lifetime (OS limits ${limits}): ${lifetimeMs} ms`);
        expect(sandboxPids.filter((pid) => !processGone(pid))).toEqual([]);
      } finally {
        await killAndWait(worker);
        // Never leave a spinning orphan behind, whatever the assertions said.
        sandboxPids.forEach(killQuietly);
      }
    },
    90_000,
  );
});

describe('the watchdog thread alone', () => {
  it('kills an orphan whose main thread is blocked, with no parent-death signal and no disconnect handler able to run', async () => {
    const parent = fork(PLACING_PARENT, ['no-setpriv', WATCHDOG_PROBE], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const { probePid } = await new Promise<PlacingParentMessage>((placed) => parent.once('message', placed));
    try {
      // Blocked: its main thread spins, as in a synchronous isolate call.
      expect(await waitUntil(() => cpuMs(probePid) >= 200, 30_000)).toBe(true);
      const killedAt = performance.now();
      await killAndWait(parent);
      await waitUntil(() => processGone(probePid), ORPHAN_BOUND_MS);
      const lifetimeMs = Math.round(performance.now() - killedAt);
      console.log(`blocked orphan with only the watchdog lived ${lifetimeMs} ms`);
      expect(processGone(probePid)).toBe(true);
    } finally {
      killQuietly(probePid);
    }
  }, 60_000);
});

/** A sandbox process whose parent is this test, which never kills it: only its own watchdog can. */
function forkSandboxWithTestAsParent() {
  const sandbox = fork(SANDBOX_PROCESS, [JSON.stringify({ parentPid: process.pid })], {
    execArgv: ['--no-node-snapshot'],
    env: { TZ: 'UTC' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  sandbox.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    sandbox.once('exit', (_code, signal) => done(signal)),
  );
  return { sandbox, stderr: () => stderr, exited };
}

describe('a sandbox process whose job runs past its wall limit', () => {
  it('kills itself when its parent is alive but does not stop it, and says why on stderr', async () => {
    const exercise = ExerciseCatalog.load(defaultExercisesDir()).get('race-free-counter')!;
    // The test is the parent here, and it never kills the process: only the process's own watchdog can.
    const { sandbox, stderr, exited } = forkSandboxWithTestAsParent();
    try {
      await new Promise((ready) => sandbox.once('message', ready));
      const startedAt = performance.now();
      sandbox.send({
        type: 'grade',
        jobId: 1,
        exercise,
        code: SPINNING_LOCK,
        dedicatedCores: 0,
        wallLimitMs: 500,
      } satisfies ParentToSandbox);
      let late: NodeJS.Timeout | undefined;
      const signal = await Promise.race([
        exited,
        new Promise((resolve) => (late = setTimeout(resolve, 30_000, 'still alive'))),
      ]);
      clearTimeout(late);
      const lifetimeMs = Math.round(performance.now() - startedAt);
      console.log(`sandbox process past a 500 ms wall limit killed itself after ${lifetimeMs} ms`);
      expect(signal).toBe('SIGKILL');
      // Its own limit plus the margin, never before: a job within its limit is not cut short.
      expect(lifetimeMs).toBeGreaterThanOrEqual(1500);
      expect(stderr()).toMatch(/a job ran past its wall-clock limit; killing it/);
    } finally {
      await killAndWait(sandbox);
    }
  }, 60_000);
});

describe('a sandbox process whose job holds more memory than its isolates may', () => {
  it('kills itself at its memory ceiling when a heap bomb outruns the isolate limit, and says so on stderr', async () => {
    const exercise = ExerciseCatalog.load(defaultExercisesDir()).get('fetch-all')!;
    // The test is the parent and never kills the process; the wall limit is far away.
    const { sandbox, stderr, exited } = forkSandboxWithTestAsParent();
    try {
      await new Promise((ready) => sandbox.once('message', ready));
      const startedAt = performance.now();
      sandbox.send({
        type: 'grade',
        jobId: 1,
        exercise,
        // Array.prototype.fill never checks for termination: isolated-vm's limit does not stop it.
        code: 'const big = new Array(1e8).fill(0);\nexport async function fetchAll() { return []; }\n',
        dedicatedCores: 0,
        wallLimitMs: 120_000,
      } satisfies ParentToSandbox);
      const signal = await exited;
      const lifetimeMs = Math.round(performance.now() - startedAt);
      const line =
        /outside the grader's heap reached (\d+) MB, past the (\d+) MB its job may hold \(out of memory\); killing it/.exec(
          stderr(),
        );
      console.log(`sandbox process with a heap bomb killed itself after ${lifetimeMs} ms: ${line?.[0]}`);
      expect(signal).toBe('SIGKILL');
      expect(line).not.toBeNull();
      // fetch-all's one 64 MB isolate: the ceiling is what the process held at the job's start outside
      // its own heap + 64 MB + 3 x 64 MB (its heap twice, a copy of it once).
      const [outsideMb, ceilingMb] = [Number(line![1]), Number(line![2])];
      expect(ceilingMb - 64 - 3 * exercise.limits.memoryMb).toBeLessThan(256);
      expect(outsideMb).toBeGreaterThan(ceilingMb);
    } finally {
      await killAndWait(sandbox);
    }
  }, 150_000);
});
