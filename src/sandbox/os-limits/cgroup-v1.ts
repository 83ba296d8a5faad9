import { mkdirSync } from 'node:fs';
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

/** The folder of the server's own group in each v1 hierarchy we use (memory, pids, cpuset). */
export type V1Hierarchies = Partial<Record<'memory' | 'pids' | 'cpuset', string>>;

/** cgroup v1: one hierarchy per controller, so every group exists once per controller. */
export class CgroupV1Tree implements CgroupTree {
  readonly version = 1;
  readonly controllers: string[];
  private readonly poolDirsByController: V1Hierarchies = {};

  constructor(hierarchies: V1Hierarchies, poolName: string) {
    this.controllers = Object.keys(hierarchies);
    // Every hierarchy at once: a leftover's processes are in all of them.
    removeLeftoverPoolGroups(Object.values(hierarchies));
    try {
      for (const [controller, ownDir] of Object.entries(hierarchies) as [keyof V1Hierarchies, string][]) {
        const dir = join(ownDir, poolName);
        mkdirSync(dir);
        this.poolDirsByController[controller] = dir;
        // A v1 cpuset group starts with no cores and no memory nodes: nothing could run in it.
        if (controller === 'cpuset') copyCpuset(ownDir, dir);
      }
    } catch (error) {
      this.remove();
      throw error;
    }
  }

  createProcessGroup(name: string, limits: ProcessLimits): ProcessCgroup {
    const dirs: V1Hierarchies = {};
    try {
      for (const [controller, poolDir] of Object.entries(this.poolDirsByController) as [
        keyof V1Hierarchies,
        string,
      ][]) {
        const dir = join(poolDir, name);
        mkdirSync(dir);
        dirs[controller] = dir;
        if (controller === 'memory') limitMemory(dir, limits.memoryMb);
        if (controller === 'pids') writeControl(dir, 'pids.max', String(limits.pids));
        if (controller === 'cpuset') {
          copyCpuset(poolDir, dir);
          if (limits.cpus !== undefined) writeControl(dir, 'cpuset.cpus', limits.cpus);
        }
      }
    } catch (error) {
      for (const dir of Object.values(dirs)) killAndRemove(dir);
      throw error;
    }
    return {
      procsFiles: Object.values(dirs).map((dir) => join(dir, 'cgroup.procs')),
      setCpus: (cpus) => {
        if (!dirs.cpuset) return false;
        writeControl(dirs.cpuset, 'cpuset.cpus', cpus);
        return true;
      },
      oomKilled: () =>
        dirs.memory !== undefined && (readCounter(dirs.memory, 'memory.oom_control', 'oom_kill') ?? 0) > 0,
      remove: () => Object.values(dirs).every((dir) => killAndRemove(dir)),
    };
  }

  get poolDirs(): string[] {
    return Object.values(this.poolDirsByController);
  }

  remove(): void {
    for (const dir of this.poolDirs) killAndRemove(dir);
  }
}

function limitMemory(dir: string, memoryMb: number): void {
  const bytes = String(memoryMb * 1024 * 1024);
  writeControl(dir, 'memory.limit_in_bytes', bytes);
  try {
    // Memory plus swap, so swap cannot stretch the limit; absent when the kernel accounts no swap.
    writeControl(dir, 'memory.memsw.limit_in_bytes', bytes);
  } catch {
    // No swap accounting: the memory limit alone applies.
  }
}

function copyCpuset(fromDir: string, toDir: string): void {
  writeControl(toDir, 'cpuset.cpus', readControl(fromDir, 'cpuset.cpus'));
  writeControl(toDir, 'cpuset.mems', readControl(fromDir, 'cpuset.mems'));
}
