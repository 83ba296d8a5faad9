import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readControl, writeControl } from './cgroup-tree';

/**
 * Where the processes of a delegated group go, so the group itself holds none (as docker's dind
 * does with /sys/fs/cgroup/init). A server that finds itself there uses the group above it.
 */
export const LEAF_GROUP = 'leaf';

/** An operator's problem with the cgroup v2 tree, in a sentence that says what to grant. */
export class CgroupDelegationError extends Error {}

/** The group whose subtree this server manages: its own group, or the one above the leaf it moved to earlier. */
export function delegationRoot(ownDir: string): string {
  return basename(ownDir) === LEAF_GROUP ? dirname(ownDir) : ownDir;
}

export function listControl(dir: string, file: string): string[] {
  return readControl(dir, file).split(/\s+/).filter(Boolean);
}

/** Processes moved into the leaf at most this often while others keep appearing in the group. */
const MOVE_ROUNDS = 10;

/**
 * Hands `controllers` down from `groupDir` to its children (cgroup.subtree_control). The kernel
 * refuses that (EBUSY) while the group holds processes of its own, the root excepted ("no internal
 * processes"): those (this server, a container's init, npm) are moved into `<groupDir>/leaf` first.
 * Returns how many processes were moved.
 */
export function enableControllersForChildren(groupDir: string, controllers: string[]): number {
  let moved = 0;
  for (let round = 0; round <= MOVE_ROUNDS; round++) {
    const enabled = listControl(groupDir, 'cgroup.subtree_control');
    const missing = controllers.filter((controller) => !enabled.includes(controller));
    if (missing.length === 0) return moved;
    try {
      writeControl(groupDir, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
      return moved;
    } catch (error) {
      if (errorCode(error) !== 'EBUSY') throw explain(error, join(groupDir, 'cgroup.subtree_control'));
      moved += moveProcessesToLeaf(groupDir);
    }
  }
  throw new CgroupDelegationError(
    `processes keep appearing in ${groupDir} while they are moved into ${join(groupDir, LEAF_GROUP)}, so its controllers cannot be handed down`,
  );
}

function moveProcessesToLeaf(groupDir: string): number {
  const leaf = join(groupDir, LEAF_GROUP);
  try {
    if (!existsSync(leaf)) mkdirSync(leaf);
  } catch (error) {
    throw explain(error, leaf);
  }
  let moved = 0;
  for (const pid of listControl(groupDir, 'cgroup.procs')) {
    try {
      writeControl(leaf, 'cgroup.procs', pid);
      moved++;
    } catch (error) {
      // ESRCH: it exited meanwhile.
      if (errorCode(error) !== 'ESRCH') throw explain(error, join(leaf, 'cgroup.procs'));
    }
  }
  return moved;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** What the kernel's refusal means for whoever runs the server. */
function explain(error: unknown, path: string): CgroupDelegationError {
  const code = errorCode(error);
  if (code === 'EROFS')
    return new CgroupDelegationError(
      `${path} is on a read-only cgroup mount: a container must give the server a writable /sys/fs/cgroup in a private cgroup namespace (docs/security.md, "Containers and systemd")`,
    );
  if (code === 'EACCES' || code === 'EPERM')
    return new CgroupDelegationError(
      `no write access to ${path}: the group is not delegated to this user (systemd: Delegate=yes; a container: root in it with a writable cgroup mount; docs/security.md, "Containers and systemd")`,
    );
  if (code === 'EOPNOTSUPP')
    return new CgroupDelegationError(`${path}: the group is threaded; the server needs a domain group`);
  return new CgroupDelegationError(`${path}: ${(error as Error).message}`);
}
