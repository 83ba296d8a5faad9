/**
 * Hostile submissions, each its own test, through the real pipeline (SandboxPool -> sandbox
 * processes -> compiled graders; `npm test` builds first). For every one: the verdict is the one
 * docs/security.md lists, a correct submission graded at the same time in the same pool is not
 * affected, the pool's processes stay within a memory bound, and no process is left behind.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GradeReport } from '../src/grading/grade-report';
import { SandboxPool } from '../src/sandbox/sandbox-pool';
import { HOSTILE_ASYNC_CASES, type HostileCase } from './hostile-input/async-cases';
import { HOSTILE_THREAD_CASES } from './hostile-input/thread-cases';

const REPO = resolve(__dirname, '..');
/** Fixture exercises with short limits, and links to the real thread exercises. */
const FIXTURE_EXERCISES = join(REPO, 'test/fixtures/exercises');
const CORRECT_FETCH_ALL = readFileSync(join(REPO, 'exercises/fetch-all/solution.ts'), 'utf8');
/** A sandbox process holds Node, isolated-vm and at most a few isolates under their limits. */
const MAX_SANDBOX_RSS_MB = 768;

function descendantsOf(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, , command]) => command !== 'ps') // the listing itself
    .map(([child, ppid]) => [Number(child), Number(ppid)]);
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of table)
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
  };
  walk(pid);
  return found;
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // already gone: replaced after its verdict
  }
}

function summary(report: GradeReport) {
  return {
    status: report.status,
    message: report.error?.message,
    failed: report.checks.filter((check) => check.status === 'failed').map((check) => check.id),
  };
}

describe('hostile submissions', () => {
  // A generous kill margin: V8's last-resort garbage collections before it gives up on a huge array
  // take seconds on a loaded host, and the verdict under test is memory_limit, not the pool's kill.
  const pool = new SandboxPool({ size: 2, exercisesDir: FIXTURE_EXERCISES, killMarginMs: 8000 });
  let closed = false;
  // Earlier suites in the same Jest process may leave long-lived helpers of their own (esbuild's
  // service process, started by its async API, lives as long as the process); only what appears
  // while this suite runs is this pool's.
  let before: Set<number>;
  beforeAll(() => {
    before = new Set(descendantsOf(process.pid));
  });
  afterAll(async () => {
    if (!closed) await pool.close();
  });

  async function gradeBesideBystander(hostile: HostileCase): Promise<GradeReport> {
    const [report, bystander] = await Promise.all([
      pool.grade({ exercise: hostile.exercise, code: hostile.code, seed: '1' }),
      pool.grade({ exercise: 'hostile-fetch-all', code: CORRECT_FETCH_ALL, seed: '1' }),
    ]);
    expect({ bystander: bystander.status }).toEqual({ bystander: 'passed' });
    for (const pid of pool.processIds()) expect(rssMb(pid)).toBeLessThan(MAX_SANDBOX_RSS_MB);
    return report;
  }

  it.each(
    [...HOSTILE_ASYNC_CASES, ...HOSTILE_THREAD_CASES].map((hostile) => [hostile.name, hostile] as const),
  )('%s', async (_name, hostile) => {
    const report = await gradeBesideBystander(hostile);
    if (process.env.HOSTILE_PRINT) console.log(hostile.name, summary(report));
    hostile.expect(report, summary(report));
  });

  it('leaves no process behind once the pool is closed', async () => {
    await pool.close();
    closed = true;
    expect(descendantsOf(process.pid).filter((pid) => !before.has(pid))).toEqual([]);
  });
});
