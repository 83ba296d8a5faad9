import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
