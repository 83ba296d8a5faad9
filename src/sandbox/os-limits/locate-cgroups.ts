import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { V1Hierarchies } from './cgroup-v1';

export type CgroupLocation = { version: 1; hierarchies: V1Hierarchies } | { version: 2; ownDir: string };

const V1_CONTROLLERS = ['memory', 'pids', 'cpuset'] as const;

/**
 * Finds the server's own group in the mounted cgroup hierarchies, so the pool's groups nest inside
 * whatever limits the server itself runs under. v1 wins when it holds the memory controller (a
 * hybrid host mounts a v2 tree beside it that has no memory controller); undefined: no cgroup fs.
 */
export function locateCgroups(
  mountsFile = '/proc/self/mounts',
  membershipFile = '/proc/self/cgroup',
): CgroupLocation | undefined {
  const mounts = readLines(mountsFile).map((line) => line.split(' '));
  const membership = readLines(membershipFile).map((line) => {
    const [, controllers = '', path = '/'] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    return { controllers: controllers.split(','), path };
  });
  const ownDir = (mountPoint: string, path: string | undefined) => {
    const dir = resolve(join(mountPoint, path ?? '/'));
    // A container that mounts only its own subtree shows the host's path in /proc/self/cgroup.
    return existsSync(dir) ? dir : mountPoint;
  };

  const hierarchies: V1Hierarchies = {};
  for (const [, mountPoint, type, options = ''] of mounts) {
    if (type !== 'cgroup') continue;
    for (const controller of V1_CONTROLLERS) {
      if (!options.split(',').includes(controller)) continue;
      const path = membership.find((entry) => entry.controllers.includes(controller))?.path;
      hierarchies[controller] = ownDir(mountPoint, path);
    }
  }
  if (hierarchies.memory) return { version: 1, hierarchies };

  const unified = mounts.find(([, , type]) => type === 'cgroup2');
  if (!unified) return undefined;
  const path = membership.find(
    (entry) => entry.controllers.length === 1 && entry.controllers[0] === '',
  )?.path;
  return { version: 2, ownDir: ownDir(unified[1], path) };
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}
