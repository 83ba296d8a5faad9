import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.join(__dirname, '..', '..', 'bin', 'lockstep.js');

/** The installed command as a user types it (the compiled build, as `npx lockstep` runs it). */
function lockstep(args: string[], cwd: string) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

describe('the lockstep command', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'lockstep-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a user on the embedded database and prints the token once', () => {
    const created = lockstep(
      ['users', 'create', '--name', 'Ada', '--email', 'ada@example.org', '--role', 'student'],
      dir,
    );
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/lst_[A-Za-z0-9_-]{20,}/);
    const again = lockstep(['users', 'token', '--email', 'ada@example.org'], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/lst_/);
  });

  it('lists the exercises and refuses an unknown command with usage and exit code 2', () => {
    expect(lockstep(['exercises'], dir).stdout).toMatch(/fetch-all/);
    const unknown = lockstep(['frobnicate'], dir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'[\s\S]*usage/);
  });
});
