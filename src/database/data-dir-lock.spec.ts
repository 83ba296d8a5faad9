import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a folder that a running process holds, naming it', () => {
    writeFileSync(path.join(dir, 'lockstep.pid'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
  });

  it('takes over a lock left by a process that died, and releases it', () => {
    const dead = spawnSync(process.execPath, [
      '-e',
      'process.stdout.write(String(process.pid))',
    ]).stdout.toString();
    writeFileSync(path.join(dir, 'lockstep.pid'), dead);
    const unlock = lockDataDir(dir);
    unlock();
    expect(existsSync(path.join(dir, 'lockstep.pid'))).toBe(false);
  });
});
