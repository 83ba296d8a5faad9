import fs, { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgroupV2Tree } from './cgroup-v2';
import { locateCgroups } from './locate-cgroups';

function files(mounts: string, membership: string): [string, string] {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-cgroups-'));
  writeFileSync(join(dir, 'mounts'), mounts);
  writeFileSync(join(dir, 'cgroup'), membership);
  return [join(dir, 'mounts'), join(dir, 'cgroup')];
}

describe('locateCgroups', () => {
  it('uses the v1 hierarchies on a hybrid host, at the mount root when the own path is not mounted', () => {
    const location = locateCgroups(
      ...files(
        'cgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n' +
          'cgroup /sys/fs/cgroup/pids cgroup rw,pids 0 0\n' +
          'cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n',
        '8:pids:/\n4:memory:/no/such/group\n0::/\n',
      ),
    );
    expect(location).toEqual({
      version: 1,
      hierarchies: { memory: '/sys/fs/cgroup/memory', pids: '/sys/fs/cgroup/pids' },
    });
  });

  it('uses the unified tree when no v1 hierarchy holds the memory controller', () => {
    const location = locateCgroups(...files('cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n', '0::/\n'));
    expect(location).toEqual({ version: 2, ownDir: '/sys/fs/cgroup' });
  });

  it('finds nothing without a cgroup file system', () => {
    expect(locateCgroups(...files('proc /proc proc rw 0 0\n', ''))).toBeUndefined();
  });
});

describe('CgroupV2Tree', () => {
  afterEach(() => jest.restoreAllMocks());

  it('delegates the controllers and writes memory.max, memory.swap.max, pids.max and cpuset.cpus', () => {
    // A plain folder stands in for the cgroup2 file system (not on this host): like the kernel,
    // mkdir creates a group's control files.
    const own = mkdtempSync(join(tmpdir(), 'lockstep-cgroup2-'));
    writeFileSync(join(own, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    writeFileSync(join(own, 'cgroup.subtree_control'), '');
    const realMkdir = fs.mkdirSync;
    jest.spyOn(fs, 'mkdirSync').mockImplementation((dir) => {
      realMkdir(dir);
      for (const [file, value] of [
        ['cgroup.subtree_control', ''],
        ['cgroup.procs', ''],
        ['memory.swap.max', 'max'],
      ])
        writeFileSync(join(String(dir), file), value);
      return undefined;
    });
    const tree = new CgroupV2Tree(own, 'lockstep-1-1');
    const group = tree.createProcessGroup('sandbox-1', { memoryMb: 256, pids: 100, cpus: '1' });
    const pool = join(own, 'lockstep-1-1');
    const read = (file: string) => readFileSync(join(pool, 'sandbox-1', file), 'utf8');
    expect(readFileSync(join(own, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids +cpuset');
    expect(readFileSync(join(pool, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids +cpuset');
    expect([read('memory.max'), read('memory.swap.max'), read('pids.max'), read('cpuset.cpus')]).toEqual([
      String(256 * 1024 * 1024),
      '0',
      '100',
      '1',
    ]);
    expect(group.procsFiles).toEqual([join(pool, 'sandbox-1', 'cgroup.procs')]);
  });
});
