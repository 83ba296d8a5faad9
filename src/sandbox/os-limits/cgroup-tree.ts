import { existsSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the kernel enforces for one sandbox process. */
export interface ProcessLimits {
  memoryMb: number;
  pids: number;
  /** Cores the process may run on (cpuset syntax, e.g. "0-1"); absent: all of the pool's cores. */
  cpus?: string;
}

/** One sandbox process's group, in every hierarchy that holds one of its controllers. */
export interface ProcessCgroup {
  /** The `cgroup.procs` files a process writes its pid into to join the group. */
  readonly procsFiles: string[];
  /** Moves every thread of the group's processes to these cores; false without a cpuset controller. */
  setCpus(cpus: string): boolean;
  /** Whether the kernel's out-of-memory killer has killed a process of this group. */
  oomKilled(): boolean;
  /** Kills whatever is still in the group and removes it; true once it is gone. */
  remove(): boolean;
}

/** A per-pool group under the server's own cgroup; v1 and v2 differ only in file names. */
export interface CgroupTree {
  readonly version: 1 | 2;
  /** Controllers this tree can limit with, of memory, pids and cpuset. */
  readonly controllers: string[];
  /** The pool's group in each hierarchy. */
  readonly poolDirs: string[];
  createProcessGroup(name: string, limits: ProcessLimits): ProcessCgroup;
  /** Removes the pool's group (its process groups must be gone). */
  remove(): void;
}

export function writeControl(dir: string, file: string, value: string): void {
  writeFileSync(join(dir, file), value);
}

export function readControl(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8').trim();
}

/** Reads `key value` lines (memory.events, memory.oom_control) and returns one counter. */
export function readCounter(dir: string, file: string, key: string): number | undefined {
  try {
    const line = readControl(dir, file)
      .split('\n')
      .find((candidate) => candidate.startsWith(`${key} `));
    return line === undefined ? undefined : Number(line.slice(key.length + 1));
  } catch {
    return undefined;
  }
}

/** SIGKILLs every process in a group (a sandbox process's children too), then removes the folder. */
export function killAndRemove(dir: string): boolean {
  if (!existsSync(dir)) return true;
  killAll(dir);
  return removeTree(dir);
}

/** SIGKILLs every process in a group and its subgroups. */
export function killAll(dir: string): void {
  for (const child of subgroups(dir)) killAll(join(dir, child));
  try {
    for (const pid of readControl(dir, 'cgroup.procs').split('\n').filter(Boolean)) killQuietly(Number(pid));
  } catch {
    // The group is gone already.
  }
}

/**
 * Kills what is in these groups, then waits (blocking, at most `timeoutMs`) until the kernel has
 * let every killed process go and the groups could be removed; false if some are still there.
 */
export function killAndRemoveWaiting(dirs: string[], timeoutMs: number): boolean {
  dirs.forEach(killAll);
  const until = performance.now() + timeoutMs;
  let left = dirs.filter((dir) => !removeTree(dir));
  while (left.length > 0 && performance.now() < until) {
    Atomics.wait(SLEEPER, 0, 0, 5);
    left = left.filter((dir) => !removeTree(dir));
  }
  return left.length === 0;
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Removes a group and its subgroups, deepest first; false while a process is still in one (EBUSY). */
function removeTree(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!subgroups(dir).every((child) => removeTree(join(dir, child)))) return false;
  try {
    rmdirSync(dir);
    return true;
  } catch {
    // EBUSY: killed processes leave the group only once they have exited; the caller retries.
    return false;
  }
}

export function subgroups(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
