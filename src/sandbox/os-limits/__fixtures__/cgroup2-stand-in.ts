/**
 * A stand-in for a cgroup2 file system, for hosts without the memory, pids and cpuset controllers
 * on cgroup v2: a temp folder whose writes follow the kernel's rules (Documentation/admin-guide/
 * cgroup-v2.rst), applied by replacing node:fs functions for paths under it:
 * - mkdir creates the interface files of the controllers the parent hands down;
 * - cgroup.subtree_control: only controllers in cgroup.controllers (ENOENT); enabling one in a group
 *   that holds processes is refused (EBUSY) unless it is the real root; children gain the files;
 * - cgroup.procs moves a pid from wherever it was; refused (EBUSY) into a group that hands
 *   controllers down; rmdir is refused (EBUSY) while a group has processes or children;
 * - no file can be created; a read-only mount refuses every write (EROFS), an undelegated group
 *   every write of a user (EACCES).
 * Pids are fake (above the kernel's PID_MAX_LIMIT), so a kill of one can reach no process.
 */
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const FAKE_PID_BASE = 5_000_000;

const INTERFACE_FILES: Record<string, Record<string, string>> = {
  memory: { 'memory.max': 'max', 'memory.swap.max': 'max', 'memory.events': 'oom_kill 0\n' },
  pids: { 'pids.max': 'max' },
  cpuset: { 'cpuset.cpus': '', 'cpuset.mems': '' },
};

export interface StandInOptions {
  controllers: string[];
  /** Pids in the top group (a container's init, npm, the server). */
  processes: number[];
  /** The top group is the real root (exempt from the no-internal-process rule); default false. */
  realRoot?: boolean;
  failWrites?: 'EROFS' | 'EACCES';
}

type Spy = (object: typeof fs, method: 'mkdirSync' | 'writeFileSync' | 'rmdirSync', impl: never) => void;

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: cgroup stand-in refused ${path}`), { code });
}

export function cgroup2StandIn(options: StandInOptions, spy: Spy): string {
  const top = mkdtempSync(join(tmpdir(), 'lockstep-cgroup2-'));
  const real = { mkdir: fs.mkdirSync, write: fs.writeFileSync, rmdir: fs.rmdirSync };
  const inside = (path: string) => !relative(top, path).startsWith('..');
  const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim();
  const list = (dir: string, file: string) => read(dir, file).split(/\s+/).filter(Boolean);
  const children = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(dir, entry.name));
  const groups = (dir: string): string[] => [dir, ...children(dir).flatMap(groups)];
  const handDown = (dir: string, controllers: string[]) => {
    for (const child of children(dir)) {
      real.write(join(child, 'cgroup.controllers'), controllers.join(' '));
      for (const controller of controllers)
        for (const [file, value] of Object.entries(INTERFACE_FILES[controller] ?? {}))
          if (!fs.existsSync(join(child, file))) real.write(join(child, file), value);
    }
  };
  const makeGroup = (dir: string, controllers: string[]) => {
    real.mkdir(dir);
    real.write(join(dir, 'cgroup.procs'), '');
    real.write(join(dir, 'cgroup.subtree_control'), '');
    real.write(join(dir, 'cgroup.controllers'), controllers.join(' '));
    for (const controller of controllers)
      for (const [file, value] of Object.entries(INTERFACE_FILES[controller] ?? {}))
        real.write(join(dir, file), value);
  };
  rmSync(top, { recursive: true });
  makeGroup(top, []);
  real.write(join(top, 'cgroup.controllers'), options.controllers.join(' '));
  real.write(join(top, 'cgroup.procs'), options.processes.join('\n'));

  const writeSubtreeControl = (dir: string, value: string) => {
    const enabled = list(dir, 'cgroup.subtree_control');
    const next = [...enabled];
    for (const token of value.split(/\s+/).filter(Boolean)) {
      const controller = token.slice(1);
      if (!list(dir, 'cgroup.controllers').includes(controller)) throw errno('ENOENT', dir);
      if (token.startsWith('+') && !next.includes(controller)) next.push(controller);
      if (token.startsWith('-')) next.splice(next.indexOf(controller), 1);
    }
    const enabling = next.some((controller) => !enabled.includes(controller));
    if (enabling && list(dir, 'cgroup.procs').length > 0 && !(dir === top && options.realRoot))
      throw errno('EBUSY', join(dir, 'cgroup.subtree_control'));
    real.write(join(dir, 'cgroup.subtree_control'), next.join(' '));
    handDown(dir, next);
  };
  const writeProcs = (dir: string, pid: string) => {
    if (list(dir, 'cgroup.subtree_control').length > 0 && !(dir === top && options.realRoot))
      throw errno('EBUSY', join(dir, 'cgroup.procs'));
    for (const group of groups(top)) {
      const members = list(group, 'cgroup.procs');
      if (members.includes(pid))
        real.write(join(group, 'cgroup.procs'), members.filter((m) => m !== pid).join('\n'));
    }
    real.write(join(dir, 'cgroup.procs'), [...list(dir, 'cgroup.procs'), pid].join('\n'));
  };

  spy(fs, 'mkdirSync', ((path: fs.PathLike, ...rest: unknown[]) => {
    const dir = String(path);
    if (!inside(dir)) return (real.mkdir as (...args: unknown[]) => unknown)(path, ...rest);
    if (options.failWrites) throw errno(options.failWrites, dir);
    makeGroup(dir, list(dirname(dir), 'cgroup.subtree_control'));
    return undefined;
  }) as never);
  spy(fs, 'writeFileSync', ((path: fs.PathOrFileDescriptor, data: unknown, ...rest: unknown[]) => {
    const file = String(path);
    if (typeof path === 'number' || !inside(file))
      return (real.write as (...args: unknown[]) => unknown)(path, data, ...rest);
    if (options.failWrites) throw errno(options.failWrites, file);
    if (!fs.existsSync(file)) throw errno('ENOENT', file);
    const dir = dirname(file);
    if (file.endsWith('/cgroup.subtree_control')) return writeSubtreeControl(dir, String(data));
    if (file.endsWith('/cgroup.procs')) return writeProcs(dir, String(data).trim());
    return real.write(file, String(data));
  }) as never);
  spy(fs, 'rmdirSync', ((path: fs.PathLike, ...rest: unknown[]) => {
    const dir = String(path);
    if (!inside(dir)) return (real.rmdir as (...args: unknown[]) => unknown)(path, ...rest);
    if (children(dir).length > 0 || list(dir, 'cgroup.procs').length > 0) throw errno('EBUSY', dir);
    rmSync(dir, { recursive: true });
    return undefined;
  }) as never);
  return top;
}
