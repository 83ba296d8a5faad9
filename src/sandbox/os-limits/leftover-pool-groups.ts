import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAndRemoveWaiting, subgroups } from './cgroup-tree';

/**
 * Pool groups are named `lockstep-<owner pid>-<owner start time>-<n>`: the start time (clock ticks
 * since boot, /proc/<pid>/stat) tells the owner from a later process that got the same pid.
 * Groups named `lockstep-<pid>-<n>` (before the start time was added) are judged by the pid alone.
 */
const POOL_GROUP = /^lockstep-(\d+)-(?:(\d+)-)?\d+$/;

/** How long a pool start waits for the processes it killed in leftover groups to exit. */
const LEFTOVER_EXIT_WAIT_MS = 2000;

/** The name of this process's pool group number `sequence`. */
export function poolGroupName(sequence: number): string {
  return `lockstep-${process.pid}-${startTime(process.pid) ?? 0}-${sequence}`;
}

/**
 * Removes pool groups left by a server that is gone (crashed, SIGKILLed): it kills their processes
 * in every hierarchy first, then waits for them to exit before removing the groups, so no hierarchy
 * keeps an empty group because a killed process had not left it yet. Groups of a live server, this
 * one's included, are left alone.
 */
export function removeLeftoverPoolGroups(parentDirs: string[]): void {
  const leftovers = parentDirs.flatMap((parentDir) =>
    subgroups(parentDir)
      .filter(ownerIsGone)
      .map((name) => join(parentDir, name)),
  );
  if (leftovers.length > 0) killAndRemoveWaiting(leftovers, LEFTOVER_EXIT_WAIT_MS);
}

function ownerIsGone(groupName: string): boolean {
  const match = POOL_GROUP.exec(groupName);
  if (!match) return false;
  const owner = Number(match[1]);
  const started = startTime(owner);
  // A zombie is gone too: a SIGKILLed server whose parent has not reaped it yet.
  if (started === undefined) return !hiddenButAlive(owner);
  return match[2] !== undefined && match[2] !== '0' && Number(match[2]) !== started;
}

/** When a live process started (field 22 of /proc/<pid>/stat); undefined if gone or a zombie. */
function startTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; the fields after the last ')' are plain.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** A process /proc does not show (mounted with hidepid) that still exists. */
function hiddenButAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !existsSync(`/proc/${pid}`);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' && !existsSync(`/proc/${pid}`);
  }
}
