import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  killAndRemove,
  readCounter,
  writeControl,
  type CgroupTree,
  type ProcessCgroup,
  type ProcessLimits,
} from './cgroup-tree';
import {
  CgroupDelegationError,
  delegationRoot,
  enableControllersForChildren,
  listControl,
} from './cgroup-v2-delegation';
import { removeLeftoverPoolGroups } from './leftover-pool-groups';

const WANTED = ['memory', 'pids', 'cpuset'];

/**
 * cgroup v2: one tree. A group hands controllers down (cgroup.subtree_control) only while it holds
 * no processes of its own (the root excepted), so in a delegated group (systemd Delegate=yes, a
 * container's own group) the server and its siblings are moved into a leaf first
 * (cgroup-v2-delegation.ts) and the pool's groups are made beside that leaf.
 */
export class CgroupV2Tree implements CgroupTree {
  readonly version = 2;
  readonly controllers: string[];
  /** Processes moved out of the delegated group into its leaf at start. */
  readonly movedToLeaf: number;
  readonly groupDir: string;
  private readonly poolDir: string;

  constructor(ownDir: string, poolName: string) {
    this.groupDir = delegationRoot(ownDir);
    const available = listControl(this.groupDir, 'cgroup.controllers');
    this.controllers = WANTED.filter((controller) => available.includes(controller));
    if (!this.controllers.includes('memory') || !this.controllers.includes('pids'))
      throw new CgroupDelegationError(
        `the memory and pids controllers are not delegated to ${this.groupDir} (it has: ${available.join(' ') || 'none'}); the group above must enable them (systemd: Delegate=yes)`,
      );
    removeLeftoverPoolGroups([this.groupDir]);
    this.movedToLeaf = enableControllersForChildren(this.groupDir, this.controllers);
    this.poolDir = join(this.groupDir, poolName);
    mkdirSync(this.poolDir);
    try {
      enableControllersForChildren(this.poolDir, this.controllers);
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  createProcessGroup(name: string, limits: ProcessLimits): ProcessCgroup {
    const dir = join(this.poolDir, name);
    mkdirSync(dir);
    const hasCpuset = this.controllers.includes('cpuset');
    try {
      writeControl(dir, 'memory.max', String(limits.memoryMb * 1024 * 1024));
      if (existsSync(join(dir, 'memory.swap.max'))) writeControl(dir, 'memory.swap.max', '0');
      writeControl(dir, 'pids.max', String(limits.pids));
      if (hasCpuset && limits.cpus !== undefined) writeControl(dir, 'cpuset.cpus', limits.cpus);
    } catch (error) {
      killAndRemove(dir);
      throw error;
    }
    return {
      procsFiles: [join(dir, 'cgroup.procs')],
      setCpus: (cpus) => {
        if (!hasCpuset) return false;
        writeControl(dir, 'cpuset.cpus', cpus);
        return true;
      },
      oomKilled: () => (readCounter(dir, 'memory.events', 'oom_kill') ?? 0) > 0,
      remove: () => killAndRemove(dir),
    };
  }

  get poolDirs(): string[] {
    return [this.poolDir];
  }

  remove(): void {
    killAndRemove(this.poolDir);
  }
}
