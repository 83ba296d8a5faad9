import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  killAndRemove,
  readControl,
  readCounter,
  writeControl,
  type CgroupTree,
  type ProcessCgroup,
  type ProcessLimits,
} from './cgroup-tree';
import { removeLeftoverPoolGroups } from './leftover-pool-groups';

const WANTED = ['memory', 'pids', 'cpuset'];

/**
 * cgroup v2: one tree. The server's own group must hand the controllers down (cgroup.subtree_control),
 * which the kernel refuses while that group holds processes of its own, unless it is the root; a
 * server started in a delegated subtree (systemd Delegate=yes, a container's own cgroup) can.
 */
export class CgroupV2Tree implements CgroupTree {
  readonly version = 2;
  readonly controllers: string[];
  private readonly poolDir: string;

  constructor(ownDir: string, poolName: string) {
    const available = readControl(ownDir, 'cgroup.controllers').split(/\s+/);
    this.controllers = WANTED.filter((controller) => available.includes(controller));
    if (!this.controllers.includes('memory') || !this.controllers.includes('pids'))
      throw new Error(`the memory and pids controllers are not delegated to ${ownDir}`);
    removeLeftoverPoolGroups([ownDir]);
    enableControllers(ownDir, this.controllers);
    this.poolDir = join(ownDir, poolName);
    mkdirSync(this.poolDir);
    try {
      enableControllers(this.poolDir, this.controllers);
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

function enableControllers(dir: string, controllers: string[]): void {
  const enabled = readControl(dir, 'cgroup.subtree_control').split(/\s+/);
  const missing = controllers.filter((controller) => !enabled.includes(controller));
  if (missing.length > 0) writeControl(dir, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
}
