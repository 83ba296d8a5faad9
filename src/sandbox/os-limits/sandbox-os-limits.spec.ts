/**
 * Real limits on this host (root, cgroups): a probe process is started the way the pool starts
 * sandbox processes and tries what the limits must stop. Needs the compiled dist/.
 */
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, type Server } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { SandboxPool } from '../sandbox-pool';
import type { ProbeReply, ProbeRequest } from './__fixtures__/limits-probe-process';
import type { PlacingParentMessage } from './__fixtures__/placing-parent';
import { killAndRemove } from './cgroup-tree';
import { locateCgroups } from './locate-cgroups';
import { SandboxOsLimits, type SandboxProcessPlacement } from './sandbox-os-limits';

const REPO = resolve(__dirname, '../../..');
const PROBE = join(REPO, 'dist/src/sandbox/os-limits/__fixtures__/limits-probe-process.js');
const PLACING_PARENT = join(REPO, 'dist/src/sandbox/os-limits/__fixtures__/placing-parent.js');
const fixtures = {
  exercisesDir: join(REPO, 'src/sandbox/__fixtures__/exercises'),
  gradersDir: join(REPO, 'dist/src/sandbox/__fixtures__/graders'),
};
const CORRECT = `
export async function fetchEach(urls: string[], fetchData: (url: string) => Promise<string>): Promise<string[]> {
  return Promise.all(urls.map((url) => fetchData(url).catch((error: Error) => 'error: ' + error.message)));
}
`;
const UNAVAILABLE = {
  mountsFile: '/nonexistent',
  unshareBinary: '/nonexistent',
  tasksetBinary: '/nonexistent',
  setprivBinary: '/nonexistent',
};
const describeAsRoot = process.getuid?.() === 0 ? describe : describe.skip;

/** Starts the probe exactly as SandboxProcessHandle starts a sandbox process. */
async function startProbe(placement?: SandboxProcessPlacement): Promise<ChildProcess> {
  const nodeArgs: string[] = [];
  const child = fork(PROBE, [], {
    ...(placement?.command(nodeArgs) ?? { execArgv: nodeArgs }),
    env: {},
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((ready) => child.once('message', ready));
  return child;
}

function ask(child: ChildProcess, request: ProbeRequest): Promise<ProbeReply> {
  return new Promise((answer) => {
    child.once('message', answer);
    child.send(request);
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGKILL');
    await exited;
  }
}

function poolGroupsUnder(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('lockstep-'));
}

describeAsRoot('OS limits of sandbox processes on this host', () => {
  const limits = new SandboxOsLimits({ memoryMb: 128, pids: 64 });
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.destroy());
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    server.close();
    await limits.close();
  });

  it('applies a memory limit, a pids limit, CPU pinning and no network, and misses nothing', () => {
    expect(limits.missing).toEqual([]);
    expect(limits.summary()).toMatch(
      /memory limit 128 MB.*pids limit 64.*CPU pinning.*no network.*parent-death signal \(setpriv\)/,
    );
  });

  it('stops a sandbox process from opening a TCP connection to 127.0.0.1, which an unlimited one can', async () => {
    const unlimited = await startProbe();
    const isolated = await startProbe(limits.placeProcess());
    try {
      expect(await ask(unlimited, { type: 'connect', port })).toEqual({
        type: 'connect',
        outcome: 'connected',
      });
      expect(await ask(isolated, { type: 'connect', port })).toEqual({
        type: 'connect',
        outcome: 'ENETUNREACH',
      });
    } finally {
      await Promise.all([stop(unlimited), stop(isolated)]);
    }
  });

  it('stops a spawn loop at the pids limit', async () => {
    const placement = limits.placeProcess();
    const probe = await startProbe(placement);
    try {
      const reply = await ask(probe, { type: 'spawn-loop', max: 200 });
      const spawned = reply.type === 'spawn-loop' ? reply.spawned : -1;
      // Node's own threads count too: the loop gets some way, then fork fails with EAGAIN.
      expect(spawned).toBeGreaterThan(0);
      expect(spawned).toBeLessThan(64);
    } finally {
      await stop(probe);
      await placement.release();
    }
  });

  it('pins every thread of a process to the requested core', async () => {
    const core = String(availableParallelism() - 1);
    const placement = limits.placeProcess();
    const probe = await startProbe(placement);
    try {
      expect(placement.pin(probe.pid!, core)).toBe(true);
      const threads = readdirSync(`/proc/${probe.pid}/task`);
      expect(threads.length).toBeGreaterThan(1);
      for (const thread of threads) {
        const status = readFileSync(`/proc/${probe.pid}/task/${thread}/status`, 'utf8');
        expect(/^Cpus_allowed_list:\s*(\S+)$/m.exec(status)?.[1]).toBe(core);
      }
    } finally {
      await stop(probe);
      await placement.release();
    }
  });

  it('reports memory_limit when the cgroup limit kills a process that allocates past it, and removes its groups', async () => {
    const location = locateCgroups();
    const memoryDir = location?.version === 1 ? location.hierarchies.memory : undefined;
    const groupsBefore = memoryDir ? poolGroupsUnder(memoryDir) : [];
    const pool = new SandboxPool({
      size: 1,
      ...fixtures,
      processScript: PROBE,
      osLimits: { memoryMb: 128 },
      logOsLimits: () => undefined,
    });
    try {
      const report = await pool.grade({ exercise: 'fixture-fetch', code: 'allocate' });
      expect(report.status).toBe('memory_limit');
      expect(report.error?.message).toBe(
        'the sandbox process used more than its 128 MB of memory and was stopped',
      );
    } finally {
      await pool.close();
    }
    if (memoryDir) expect(poolGroupsUnder(memoryDir)).toEqual(groupsBefore);
  });

  it('removes the groups a crashed server left behind, and leaves a live server’s alone', async () => {
    const location = locateCgroups();
    if (location?.version !== 1) return;
    const deadPid = spawnSync('/bin/true').pid;
    const leftover = join(location.hierarchies.pids!, `lockstep-${deadPid}-1`);
    mkdirSync(join(leftover, 'sandbox-1'), { recursive: true });
    const fresh = new SandboxOsLimits();
    try {
      expect(existsSync(leftover)).toBe(false);
      expect(poolGroupsUnder(location.hierarchies.pids!)).toEqual(
        expect.arrayContaining([expect.stringMatching(new RegExp(`^lockstep-${process.pid}-\\d+-`))]),
      );
    } finally {
      await fresh.close();
    }
  });

  it('removes, in every hierarchy, a leftover group whose sandbox process still runs, and those of a zombie or a reused pid', async () => {
    const location = locateCgroups();
    if (location?.version !== 1) return;
    const hierarchies = Object.values(location.hierarchies);
    // An orphaned sandbox process of a SIGKILLed server, still running in its groups.
    const orphan = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    const orphanExited = new Promise((done) => orphan.once('exit', done));
    // A zombie owner: `sleep 0` exits, and its parent (sh, which became `sleep 60`) never reaps it.
    const zombieParent = spawn('/bin/sh', [
      '-c',
      'sleep 0 </dev/null >/dev/null & echo $!; exec sleep 60 >/dev/null',
    ]);
    const zombiePid = Number(
      await new Promise<string>((read) =>
        zombieParent.stdout.once('data', (chunk: Buffer) => read(String(chunk))),
      ),
    );
    while (!readFileSync(`/proc/${zombiePid}/stat`, 'utf8').includes(') Z ')) await sleep(5);
    const names = [
      `lockstep-${spawnSync('/bin/true').pid}-1`,
      `lockstep-${zombiePid}-1`,
      // The pid of a live process, but not the start time of the server that made the group.
      `lockstep-${orphan.pid}-1-1`,
    ];
    try {
      for (const hierarchy of hierarchies) {
        for (const name of names) mkdirSync(join(hierarchy, name, 'sandbox-1'), { recursive: true });
        if (hierarchy === location.hierarchies.cpuset) {
          for (const dir of [join(hierarchy, names[0]), join(hierarchy, names[0], 'sandbox-1')])
            for (const file of ['cpuset.cpus', 'cpuset.mems'])
              writeFileSync(join(dir, file), readFileSync(join(hierarchy, file)));
        }
        writeFileSync(join(hierarchy, names[0], 'sandbox-1', 'cgroup.procs'), String(orphan.pid));
      }
      const fresh = new SandboxOsLimits();
      await fresh.close();
      const left = hierarchies.flatMap((hierarchy) =>
        names.filter((name) => existsSync(join(hierarchy, name))).map((name) => join(hierarchy, name)),
      );
      expect(left).toEqual([]);
      expect(
        await Promise.race([
          orphanExited.then(() => 'killed'),
          sleep(5000, undefined, { ref: false }).then(() => 'alive'),
        ]),
      ).toBe('killed');
    } finally {
      orphan.kill('SIGKILL');
      zombieParent.kill('SIGKILL');
      for (const hierarchy of hierarchies) for (const name of names) killAndRemove(join(hierarchy, name));
    }
  });
});

/** Gone, or a zombie (it runs nothing and only waits to be reaped). */
function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** A parent that places a probe blocked for good, then is SIGKILLed; how long the orphan lives, or undefined. */
async function orphanLifetimeMs(parentArgs: string[], boundMs: number): Promise<number | undefined> {
  const parent = fork(PLACING_PARENT, parentArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { probePid } = await new Promise<PlacingParentMessage>((placed) => parent.once('message', placed));
  const killedAt = performance.now();
  await stop(parent);
  try {
    while (performance.now() - killedAt < boundMs) {
      if (processGone(probePid)) return performance.now() - killedAt;
      await new Promise((done) => setTimeout(done, 10));
    }
    return undefined;
  } finally {
    try {
      process.kill(probePid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

describe('the parent-death signal (setpriv --pdeathsig KILL)', () => {
  const hasSetpriv = spawnSync('/usr/bin/setpriv', ['--pdeathsig', 'KILL', '/bin/true']).status === 0;
  (hasSetpriv ? it : it.skip)(
    'kills a placed process whose main thread is blocked as soon as its parent is SIGKILLed; without it, it lives on',
    async () => {
      const withSignal = await orphanLifetimeMs([], 5000);
      expect(withSignal).toBeDefined();
      console.log(`blocked orphan with the parent-death signal lived ${Math.round(withSignal!)} ms`);
      // The control: nothing else could end this probe, so it must still be there 2 s later.
      expect(await orphanLifetimeMs(['no-setpriv'], 2000)).toBeUndefined();
    },
    30_000,
  );
});

describeAsRoot('a server that exits without closing its pool', () => {
  it('kills its sandbox processes and removes its groups on the way out', async () => {
    const location = locateCgroups();
    if (location?.version !== 1) return;
    const server = fork(PLACING_PARENT, ['cgroups-then-exit'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise((done) => server.once('exit', done));
    const { probePid } = await new Promise<PlacingParentMessage>((placed) => server.once('message', placed));
    await exited;
    try {
      const left = Object.values(location.hierarchies).flatMap((hierarchy) =>
        poolGroupsUnder(hierarchy).filter((name) => name.startsWith(`lockstep-${server.pid}-`)),
      );
      expect(left).toEqual([]);
      expect(processGone(probePid)).toBe(true);
    } finally {
      try {
        process.kill(probePid, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
  });
});

describe('a host that offers no OS limits', () => {
  it('still grades, and logs one line naming every missing protection', async () => {
    const log = jest.fn();
    const pool = new SandboxPool({
      size: 1,
      ...fixtures,
      maxJobsPerProcess: 1,
      osLimits: UNAVAILABLE,
      logOsLimits: log,
    });
    try {
      expect((await pool.grade({ exercise: 'fixture-fetch', code: CORRECT })).status).toBe('passed');
      expect((await pool.grade({ exercise: 'fixture-fetch', code: CORRECT })).status).toBe('passed');
    } finally {
      await pool.close();
    }
    expect(log).toHaveBeenCalledTimes(1);
    const [line, complete] = log.mock.calls[0];
    expect(complete).toBe(false);
    expect(line).toMatch(
      /WITHOUT a memory limit: no cgroup file system is mounted; a pids limit: .*network isolation: .*CPU pinning.*a parent-death signal: \/nonexistent \(util-linux\) is missing/,
    );
  });

  it('says so when the limits are turned off by configuration', () => {
    expect(new SandboxOsLimits({ enabled: false }).summary()).toBe(
      'sandbox processes run WITHOUT every OS limit (turned off by configuration) (applied: nothing)',
    );
  });
});
