import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killAndRemoveWaiting, type CgroupTree, type ProcessCgroup } from './cgroup-tree';
import { CgroupV1Tree } from './cgroup-v1';
import { CgroupV2Tree } from './cgroup-v2';
import { CgroupDelegationError, LEAF_GROUP } from './cgroup-v2-delegation';
import { poolGroupName } from './leftover-pool-groups';
import { locateCgroups } from './locate-cgroups';

export interface OsLimitsOptions {
  /** false: apply none (LOCKSTEP_SANDBOX_OS_LIMITS=off). Default true. */
  enabled?: boolean;
  /** Memory of one sandbox process, all its isolates and threads together; default 2048 MB. */
  memoryMb?: number;
  /** Processes and threads of one sandbox process; default 512. */
  pids?: number;
  /** Where to look for the OS's means; tests point these elsewhere to simulate a host without them. */
  mountsFile?: string;
  unshareBinary?: string;
  tasksetBinary?: string;
  setprivBinary?: string;
}

/** How one sandbox process is started and held: its cgroup, its network namespace, its cores. */
export interface SandboxProcessPlacement {
  /** The command that starts `node <nodeArgs>` already inside its limits, for `fork`'s execPath/execArgv. */
  command(nodeArgs: string[]): { execPath: string; execArgv: string[] };
  /** Restricts every thread of process `pid` to these cores ("2", "0-1"); false if pinning is unavailable. */
  pin(pid: number, cpus: string): boolean;
  /** Whether the cgroup memory limit killed the process; undefined when no limit was applied. */
  memoryLimitHit(): boolean | undefined;
  readonly memoryMb: number | undefined;
  /** Kills anything left in the process's group and removes the group. */
  release(): Promise<void>;
}

export const DEFAULT_SANDBOX_MEMORY_MB = 2048;
export const DEFAULT_SANDBOX_PIDS = 512;

// Runs as the sandbox process's own pid: joins each group, then becomes node, so everything the
// process ever allocates or starts is inside its limits. Exit 125 if a group cannot be joined.
const JOIN_THEN_EXEC = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
const SHELL = '/bin/sh';

let poolSequence = 0;

/** Pools whose groups exist and that were not closed: removed when the process exits anyway. */
const openTrees = new Set<CgroupTree>();
let exitHookAdded = false;
function removeOpenTreesAtExit(): void {
  // A worker that exits without closing its pool (a crash, process.exit) leaves no group behind.
  // Its sandbox processes are SIGKILLed here; the wait for them to exit is short and blocking.
  for (const tree of openTrees) killAndRemoveWaiting(tree.poolDirs, 1000);
}

/**
 * The OS-level protection of one pool's sandbox processes: a cgroup per process (memory, pids,
 * cpuset) under a per-pool group, no network (a fresh network namespace; the IPC pipe survives it),
 * and CPU pinning. What the host does not allow is left out and named by `missing`.
 */
export class SandboxOsLimits {
  readonly applied: string[] = [];
  readonly missing: string[] = [];
  /** What the set-up did that an operator should know of (processes moved between cgroups). */
  readonly notes: string[] = [];
  private readonly tree: CgroupTree | undefined;
  private readonly unshareArgs: string[] | undefined;
  private readonly taskset: string | undefined;
  private readonly setprivArgs: string[] | undefined;
  private readonly memoryMb: number;
  private readonly pids: number;
  private readonly releases = new Set<Promise<void>>();
  private processSequence = 0;

  constructor(options: OsLimitsOptions = {}) {
    this.memoryMb = options.memoryMb ?? DEFAULT_SANDBOX_MEMORY_MB;
    this.pids = options.pids ?? DEFAULT_SANDBOX_PIDS;
    if (options.enabled === false) {
      this.missing.push('every OS limit (turned off by configuration)');
      return;
    }
    this.tree = this.startCgroups(options.mountsFile);
    this.unshareArgs = this.probeNetworkNamespace(options.unshareBinary ?? '/usr/bin/unshare');
    this.taskset = this.probeTaskset(options.tasksetBinary ?? '/usr/bin/taskset');
    this.setprivArgs = this.probeParentDeathSignal(options.setprivBinary ?? '/usr/bin/setpriv');
  }

  /** Whether `SandboxProcessPlacement.pin` can restrict a process to some cores (cpuset or taskset). */
  get canPin(): boolean {
    return this.tree?.controllers.includes('cpuset') === true || this.taskset !== undefined;
  }

  /** The one line the pool logs at start: what is applied, and what is missing and why. */
  summary(): string {
    const applied = this.applied.length > 0 ? this.applied.join(', ') : 'nothing';
    const notes = this.notes.map((note) => `; ${note}`).join('');
    if (this.missing.length === 0) return `sandbox processes run with OS limits: ${applied}${notes}`;
    return `sandbox processes run WITHOUT ${this.missing.join('; ')} (applied: ${applied})${notes}`;
  }

  placeProcess(): SandboxProcessPlacement {
    const group = this.createProcessGroup();
    const unshareArgs = this.unshareArgs;
    const taskset = this.taskset;
    const setprivArgs = this.setprivArgs;
    return {
      memoryMb: group ? this.memoryMb : undefined,
      command: (nodeArgs) => {
        let chain = [process.execPath, ...nodeArgs];
        if (unshareArgs) chain = [...unshareArgs, '--', ...chain];
        if (group)
          chain = [SHELL, '-c', JOIN_THEN_EXEC, 'lockstep-sandbox', ...group.procsFiles, '--', ...chain];
        // First in the chain, so the shell and unshare stages are covered too; it survives each exec.
        if (setprivArgs) chain = [...setprivArgs, '--', ...chain];
        return { execPath: chain[0], execArgv: chain.slice(1) };
      },
      pin: (pid, cpus) => {
        if (group?.setCpus(cpus)) return true;
        if (!taskset) return false;
        return spawnSync(taskset, ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)]).status === 0;
      },
      memoryLimitHit: () => group?.oomKilled(),
      release: () => (group ? this.track(removeWithRetries(group)) : Promise.resolve()),
    };
  }

  /** Waits for every process group to be removed, then removes the pool's group. */
  async close(): Promise<void> {
    await Promise.all([...this.releases]);
    this.tree?.remove();
    if (this.tree) openTrees.delete(this.tree);
  }

  private startCgroups(mountsFile: string | undefined): CgroupTree | undefined {
    const location = locateCgroups(mountsFile);
    const name = poolGroupName(++poolSequence);
    let tree: CgroupTree | undefined;
    let reason = 'no cgroup file system is mounted';
    try {
      if (location && !existsSync(SHELL)) reason = `${SHELL} is missing`;
      else if (location?.version === 1) tree = new CgroupV1Tree(location.hierarchies, name);
      else if (location?.version === 2) tree = new CgroupV2Tree(location.ownDir, name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (error instanceof CgroupDelegationError) reason = `cgroup v2 refused: ${error.message}`;
      else
        reason = `cgroup v${location?.version} refused (${code === 'EACCES' || code === 'EROFS' ? 'not root, or a read-only cgroup fs' : (error as Error).message})`;
    }
    if (tree) {
      if (!exitHookAdded) process.once('exit', removeOpenTreesAtExit);
      exitHookAdded = true;
      openTrees.add(tree);
    }
    const has = (controller: string) => tree?.controllers.includes(controller) ?? false;
    const via = `cgroup v${tree?.version}`;
    if (has('memory')) this.applied.push(`memory limit ${this.memoryMb} MB (${via})`);
    else this.missing.push(`a memory limit: ${reason}`);
    if (has('pids')) this.applied.push(`pids limit ${this.pids} (${via})`);
    else this.missing.push(`a pids limit: ${tree ? 'no pids controller' : reason}`);
    if (has('cpuset')) this.applied.push(`CPU pinning (${via} cpuset)`);
    if (tree instanceof CgroupV2Tree && tree.movedToLeaf > 0)
      this.notes.push(
        `moved ${tree.movedToLeaf} process(es) of ${tree.groupDir}, this server's included, into ${join(tree.groupDir, LEAF_GROUP)} to hand its controllers down`,
      );
    return tree;
  }

  private probeNetworkNamespace(unshare: string): string[] | undefined {
    // Root may create a network namespace directly; anyone else only inside a user namespace,
    // where the host allows unprivileged ones.
    for (const flags of [['--net'], ['--user', '--net']]) {
      if (spawnSync(unshare, [...flags, SHELL, '-c', ':']).status === 0) {
        this.applied.push(`no network (${flags.join(' ')} namespace)`);
        return [unshare, ...flags];
      }
    }
    this.missing.push(
      existsSync(unshare)
        ? 'network isolation: unshare --net is not permitted'
        : `network isolation: ${unshare} (util-linux) is missing`,
    );
    return undefined;
  }

  private probeTaskset(taskset: string): string | undefined {
    if (this.tree?.controllers.includes('cpuset')) return existsSync(taskset) ? taskset : undefined;
    if (existsSync(taskset)) {
      this.applied.push('CPU pinning (taskset)');
      return taskset;
    }
    this.missing.push(`CPU pinning: no cpuset controller and ${taskset} (util-linux) is missing`);
    return undefined;
  }

  /**
   * The kernel's parent-death signal (prctl PR_SET_PDEATHSIG): SIGKILL as soon as the thread that
   * forked the process (the server's main thread, which runs child_process.fork) is gone.
   */
  private probeParentDeathSignal(setpriv: string): string[] | undefined {
    const args = [setpriv, '--pdeathsig', 'KILL'];
    if (spawnSync(args[0], [...args.slice(1), '--', SHELL, '-c', ':']).status === 0) {
      this.applied.push('parent-death signal (setpriv)');
      return args;
    }
    this.missing.push(
      existsSync(setpriv)
        ? `a parent-death signal: ${setpriv} has no --pdeathsig (util-linux 2.33 or later has it)`
        : `a parent-death signal: ${setpriv} (util-linux) is missing`,
    );
    return undefined;
  }

  private createProcessGroup(): ProcessCgroup | undefined {
    if (!this.tree) return undefined;
    return this.tree.createProcessGroup(`sandbox-${++this.processSequence}`, {
      memoryMb: this.memoryMb,
      pids: this.pids,
    });
  }

  private track(release: Promise<void>): Promise<void> {
    this.releases.add(release);
    return release.finally(() => this.releases.delete(release));
  }
}

/** A killed process leaves its group only once the kernel has finished its exit: retry briefly. */
async function removeWithRetries(group: ProcessCgroup): Promise<void> {
  for (let attempt = 0; attempt < 50 && !group.remove(); attempt++) await sleep(10);
}
