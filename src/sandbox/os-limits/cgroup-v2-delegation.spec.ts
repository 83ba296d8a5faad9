/**
 * The cgroup v2 delegation against the REAL cgroup2 hierarchy of this host (/sys/fs/cgroup/unified,
 * which has only the hugetlb controller): the kernel enforces the no-internal-process rule and moves
 * processes there for real. Only a `sleep` started by the test is ever moved, in a scratch group
 * that is removed afterwards. Needs root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delegationRoot, enableControllersForChildren, LEAF_GROUP } from './cgroup-v2-delegation';

const UNIFIED = '/sys/fs/cgroup/unified';
const usable =
  process.getuid?.() === 0 &&
  existsSync(join(UNIFIED, 'cgroup.controllers')) &&
  readFileSync(join(UNIFIED, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('hugetlb');
const describeOnRealCgroup2 = usable ? describe : describe.skip;

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();
/** The process's group in the v2 hierarchy, from /proc/<pid>/cgroup ("0::/path"). */
const v2GroupOf = (pid: number) => /^0::(.*)$/m.exec(readFileSync(`/proc/${pid}/cgroup`, 'utf8'))?.[1];

describeOnRealCgroup2('cgroup v2 delegation on the real cgroup2 hierarchy', () => {
  const scratchName = `lockstep-delegation-test-${process.pid}`;
  const scratch = join(UNIFIED, scratchName);
  let enabledAtRoot = false;
  let server: ChildProcess;

  beforeAll(() => {
    // The root must hand hugetlb down for the scratch group to have a controller at all.
    if (!read(UNIFIED, 'cgroup.subtree_control').split(/\s+/).includes('hugetlb')) {
      writeFileSync(join(UNIFIED, 'cgroup.subtree_control'), '+hugetlb');
      enabledAtRoot = true;
    }
    mkdirSync(scratch);
    // Stands in for the server (and its container's init, npm): a process inside the delegated group.
    server = spawn('/bin/sleep', ['120'], { stdio: 'ignore' });
    writeFileSync(join(scratch, 'cgroup.procs'), String(server.pid));
  });

  afterAll(async () => {
    // Reaped (not a zombie) before its groups are removed: a zombie would still count as a member.
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGKILL');
    await exited;
    for (const dir of [
      join(scratch, 'pools', 'sandbox-1'),
      join(scratch, 'pools'),
      join(scratch, LEAF_GROUP),
      scratch,
    ])
      if (existsSync(dir)) rmdirSync(dir);
    // Leaves the root as it was; refused (EBUSY) only if another group meanwhile handed hugetlb down.
    if (enabledAtRoot) writeFileSync(join(UNIFIED, 'cgroup.subtree_control'), '-hugetlb');
  });

  it('is refused by the kernel while the group holds a process (the rule the leaf exists for)', () => {
    expect(() => writeFileSync(join(scratch, 'cgroup.subtree_control'), '+hugetlb')).toThrow(
      expect.objectContaining({ code: 'EBUSY' }),
    );
  });

  it('moves the group’s processes into a leaf, then hands the controller down to new groups', () => {
    expect(v2GroupOf(server.pid!)).toBe(`/${scratchName}`);
    expect(enableControllersForChildren(scratch, ['hugetlb'])).toBe(1);
    expect(v2GroupOf(server.pid!)).toBe(`/${scratchName}/${LEAF_GROUP}`);
    expect(read(scratch, 'cgroup.procs')).toBe('');
    expect(read(scratch, 'cgroup.subtree_control')).toBe('hugetlb');
    // A pool group beside the leaf, and a sandbox group in it, as CgroupV2Tree makes them.
    const pools = join(scratch, 'pools');
    mkdirSync(pools);
    expect(enableControllersForChildren(pools, ['hugetlb'])).toBe(0);
    mkdirSync(join(pools, 'sandbox-1'));
    expect(read(join(pools, 'sandbox-1'), 'cgroup.controllers')).toBe('hugetlb');
    expect(existsSync(join(pools, 'sandbox-1', 'hugetlb.2MB.max'))).toBe(true);
  });

  it('does nothing more on a second start, and a server found in the leaf manages the group above it', () => {
    expect(enableControllersForChildren(scratch, ['hugetlb'])).toBe(0);
    expect(delegationRoot(join(scratch, LEAF_GROUP))).toBe(scratch);
    expect(delegationRoot(scratch)).toBe(scratch);
  });
});
