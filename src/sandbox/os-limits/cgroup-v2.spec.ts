/**
 * CgroupV2Tree and SandboxOsLimits on cgroup v2 with the memory, pids and cpuset controllers, which
 * this host's cgroup2 hierarchy lacks: against a stand-in that models the kernel's rules
 * (__fixtures__/cgroup2-stand-in.ts). The moves and the no-internal-process rule themselves are
 * also tested against the real hierarchy (cgroup-v2-delegation.spec.ts).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroup2StandIn, FAKE_PID_BASE, type StandInOptions } from './__fixtures__/cgroup2-stand-in';
import { CgroupV2Tree } from './cgroup-v2';
import { LEAF_GROUP } from './cgroup-v2-delegation';
import { SandboxOsLimits } from './sandbox-os-limits';

const CONTAINER_CONTROLLERS = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'];
/** A container's init, npm, and the server. */
const CONTAINER_PROCESSES = [FAKE_PID_BASE + 1, FAKE_PID_BASE + 7, FAKE_PID_BASE + 19];

const standIns: string[] = [];

function standIn(options: Partial<StandInOptions> = {}): string {
  const top = cgroup2StandIn(
    { controllers: CONTAINER_CONTROLLERS, processes: CONTAINER_PROCESSES, ...options },
    (object, method, impl) => jest.spyOn(object, method).mockImplementation(impl),
  );
  standIns.push(top);
  return top;
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();

/** OS limits on a host whose only cgroup mount is the stand-in (this process's v2 group is "/"). */
function limitsOn(top: string): SandboxOsLimits {
  const mounts = `${top}.mounts`;
  writeFileSync(mounts, `cgroup2 ${top} cgroup2 rw 0 0\n`);
  return new SandboxOsLimits({ mountsFile: mounts, memoryMb: 256, pids: 100, unshareBinary: '/nonexistent' });
}

describe('cgroup v2 in a delegated group (stand-in for the kernel)', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    for (const top of standIns.splice(0)) {
      rmSync(top, { recursive: true, force: true });
      rmSync(`${top}.mounts`, { force: true });
    }
  });

  it('moves every process of a container’s group into a leaf, then limits memory, pids and cores of each sandbox process', () => {
    const top = standIn();
    const tree = new CgroupV2Tree(top, 'lockstep-1-2-1');
    expect(tree.movedToLeaf).toBe(3);
    expect(read(join(top, LEAF_GROUP), 'cgroup.procs').split('\n').map(Number)).toEqual(CONTAINER_PROCESSES);
    expect(read(top, 'cgroup.procs')).toBe('');
    expect(read(top, 'cgroup.subtree_control')).toBe('memory pids cpuset');
    const pool = join(top, 'lockstep-1-2-1');
    expect(read(pool, 'cgroup.subtree_control')).toBe('memory pids cpuset');
    const group = tree.createProcessGroup('sandbox-1', { memoryMb: 256, pids: 100, cpus: '1' });
    const sandbox = join(pool, 'sandbox-1');
    expect(
      ['memory.max', 'memory.swap.max', 'pids.max', 'cpuset.cpus'].map((file) => read(sandbox, file)),
    ).toEqual([String(256 * 1024 * 1024), '0', '100', '1']);
    expect(group.procsFiles).toEqual([join(sandbox, 'cgroup.procs')]);
    expect(group.setCpus('0-1')).toBe(true);
    expect(read(sandbox, 'cpuset.cpus')).toBe('0-1');
    expect(group.remove()).toBe(true);
    tree.remove();
    expect(read(join(top, LEAF_GROUP), 'cgroup.procs').split('\n')).toHaveLength(3);
  });

  it('lets a second server, found in the leaf, make its pool beside the leaf without moving anything', () => {
    const top = standIn();
    new CgroupV2Tree(top, 'lockstep-1-2-1');
    const second = new CgroupV2Tree(join(top, LEAF_GROUP), 'lockstep-3-4-1');
    expect(second.movedToLeaf).toBe(0);
    expect(second.groupDir).toBe(top);
    expect(read(join(top, 'lockstep-3-4-1'), 'cgroup.controllers')).toBe('memory pids cpuset');
  });

  it('moves nothing in the real root, which the kernel exempts', () => {
    const top = standIn({ realRoot: true });
    expect(new CgroupV2Tree(top, 'lockstep-1-2-1').movedToLeaf).toBe(0);
    expect(read(top, 'cgroup.procs').split('\n')).toHaveLength(3);
  });

  it('logs the limits it applies and that it moved the server’s group into a leaf', async () => {
    const limits = limitsOn(standIn());
    try {
      expect(limits.summary()).toMatch(
        /memory limit 256 MB \(cgroup v2\), pids limit 100 \(cgroup v2\), CPU pinning \(cgroup v2 cpuset\)/,
      );
      expect(limits.summary()).toMatch(
        /moved 3 process\(es\) of \S+, this server's included, into \S+\/leaf/,
      );
    } finally {
      await limits.close();
    }
  });

  it.each([
    [
      { failWrites: 'EROFS' as const },
      /is on a read-only cgroup mount: a container must give the server a writable \/sys\/fs\/cgroup/,
    ],
    [
      { failWrites: 'EACCES' as const },
      /no write access to \S+cgroup.subtree_control: the group is not delegated to this user \(systemd: Delegate=yes/,
    ],
    [
      { controllers: ['hugetlb'] },
      /the memory and pids controllers are not delegated to \S+ \(it has: hugetlb\); the group above must enable them/,
    ],
  ])('says what to grant when the kernel refuses (%o)', async (options, reason) => {
    const limits = limitsOn(standIn(options));
    try {
      expect(limits.missing[0]).toMatch(/^a memory limit: cgroup v2 refused: /);
      expect(limits.missing[0]).toMatch(reason);
    } finally {
      await limits.close();
    }
  });
});
