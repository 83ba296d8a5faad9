/**
 * The cgroup v2 delegation against the REAL cgroup2 hierarchy of this host (/sys/fs/cgroup/unified,
 * which has only the hugetlb controller): the kernel enforces the no-internal-process rule and moves
 * processes there for real. Only `sleep`s started by the test are ever moved, in scratch groups
 * that are removed afterwards. Needs root (and the compiled dist/ for the unprivileged case).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { delegationRoot, enableControllersForChildren, LEAF_GROUP } from './cgroup-v2-delegation';

const UNIFIED = '/sys/fs/cgroup/unified';
const usable =
  process.getuid?.() === 0 &&
  existsSync(join(UNIFIED, 'cgroup.controllers')) &&
  readFileSync(join(UNIFIED, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('hugetlb');
const describeOnRealCgroup2 = usable ? describe : describe.skip;

const NOBODY = 65534;
const DELEGATION = join(__dirname, '../../../dist/src/sandbox/os-limits/cgroup-v2-delegation.js');

/** Runs enableControllersForChildren(dir, ['hugetlb']) in a node process of the user nobody. */
function asNobody(dir: string): { moved: number } | { error: string } {
  const script = `try { console.log(JSON.stringify({ moved: require(${JSON.stringify(DELEGATION)}).enableControllersForChildren(process.argv[1], ['hugetlb']) })); } catch (error) { console.log(JSON.stringify({ error: error.message })); }`;
  const run = spawnSync(
    '/usr/bin/setpriv',
    [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e', script, dir],
    { encoding: 'utf8' },
  );
  return JSON.parse(run.stdout) as { moved: number } | { error: string };
}

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

  it('works for an unprivileged user the group is delegated to, as systemd does for User= with Delegate=yes, and tells one it is not what to grant', async () => {
    const userGroup = join(UNIFIED, `${scratchName}-user`);
    mkdirSync(userGroup);
    const other = spawn('/bin/sleep', ['120'], { stdio: 'ignore' });
    const otherExited = new Promise((done) => other.once('exit', done));
    try {
      writeFileSync(join(userGroup, 'cgroup.procs'), String(other.pid));
      expect(asNobody(userGroup)).toEqual({
        error: expect.stringMatching(
          /^no write access to \S+cgroup.subtree_control: the group is not delegated to this user \(systemd: Delegate=yes/,
        ),
      });
      // Delegation: the folder and the three files the kernel lists in /sys/kernel/cgroup/delegate.
      for (const path of ['', 'cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads'])
        chownSync(join(userGroup, path), NOBODY, NOBODY);
      expect(asNobody(userGroup)).toEqual({ moved: 1 });
      expect(v2GroupOf(other.pid!)).toBe(`/${scratchName}-user/${LEAF_GROUP}`);
      expect(read(userGroup, 'cgroup.subtree_control')).toBe('hugetlb');
    } finally {
      other.kill('SIGKILL');
      await otherExited;
      for (const dir of [join(userGroup, LEAF_GROUP), userGroup]) if (existsSync(dir)) rmdirSync(dir);
    }
  });

  it('does nothing more on a second start, and a server found in the leaf manages the group above it', () => {
    expect(enableControllersForChildren(scratch, ['hugetlb'])).toBe(0);
    expect(delegationRoot(join(scratch, LEAF_GROUP))).toBe(scratch);
    expect(delegationRoot(scratch)).toBe(scratch);
  });
});
