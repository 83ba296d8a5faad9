/**
 * For specs: runs a compiled probe from dist/ in a child `node --no-node-snapshot` (isolated-vm
 * cannot load inside Jest), either for its JSON on stdout or watched from outside until it ends or
 * hangs.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const PROBES = resolve(__dirname, '../../../../dist/src/sandbox/platform/__fixtures__');

export function runProbe<Result>(name: string, args: string[] = []): Result {
  const output = execFileSync(
    process.execPath,
    ['--no-node-snapshot', resolve(PROBES, `${name}.js`), ...args],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    },
  );
  return JSON.parse(output) as Result;
}

export interface WatchedProbe {
  /** How the process ended, or 'hung' when it was alive but used no CPU for `quietMs` (then killed). */
  end: { code: number | null; signal: NodeJS.Signals | null } | 'hung' | 'too slow';
  stdout: string;
  stderr: string;
}

export interface WatchOptions {
  nodeFlags?: string[];
  /** Start watching for a hang once stdout contains this. */
  watchFrom?: string;
  quietMs?: number;
  /** Killed after this long whatever it does ('too slow'). */
  hardTimeoutMs?: number;
}

/** The process's user + system CPU in clock ticks, from /proc (Linux). */
function cpuTicks(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  } catch {
    return undefined; // already gone
  }
}

export function watchProbe(name: string, args: string[], options: WatchOptions = {}): Promise<WatchedProbe> {
  const { nodeFlags = [], watchFrom = '', quietMs = 2000, hardTimeoutMs = 30_000 } = options;
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', ...nodeFlags, resolve(PROBES, `${name}.js`), ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let [stdout, stderr] = ['', ''];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => {
    let verdict: 'hung' | 'too slow' | undefined;
    let last = { ticks: -1, since: Date.now() };
    const stopAs = (why: 'hung' | 'too slow') => {
      verdict = why;
      child.kill('SIGKILL');
    };
    const poll = setInterval(() => {
      if (!stdout.includes(watchFrom) || child.pid === undefined) return;
      const ticks = cpuTicks(child.pid);
      if (ticks === undefined) return;
      if (ticks !== last.ticks) last = { ticks, since: Date.now() };
      else if (Date.now() - last.since >= quietMs) stopAs('hung');
    }, 100);
    const hardTimeout = setTimeout(() => stopAs('too slow'), hardTimeoutMs);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(hardTimeout);
      done({ end: verdict ?? { code, signal }, stdout, stderr });
    });
  });
}

/** Runs `check`; if it fails, its message starts with what the change means for the sandbox. */
export function ifItFails(whatItMeans: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    throw new Error(`${whatItMeans}\n\n${error instanceof Error ? error.message : String(error)}`);
  }
}
