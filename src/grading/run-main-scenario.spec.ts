/**
 * The grader path: gradeSubmission -> fixture-primes grader -> ctx.runMain -> report, through dist/
 * (isolated-vm cannot load inside Jest). The grader judges only host-recorded evidence.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { WORKER_PATTERNS } from '../sandbox/worker-threads/__fixtures__/worker-patterns';
import type { GradeReport } from './grade-report';

const RUNNER = resolve(__dirname, '../../dist/src/sandbox/worker-threads/__fixtures__/grade-primes.js');

function grade(code: string, wallTimeMs?: number): GradeReport {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify({ code, wallTimeMs }),
    encoding: 'utf8',
  });
  const { report, liveIsolatesAfter } = JSON.parse(output) as {
    report: GradeReport;
    liveIsolatesAfter: number;
  };
  expect(liveIsolatesAfter).toBe(0);
  return report;
}

const failedChecks = (report: GradeReport) =>
  report.checks.filter((check) => check.status === 'failed').map((check) => [check.id, check.message]);

/** A worker per range, each posting its count: `bounds` decides the ranges, so a test can get them wrong. */
const countingSolution = (bounds: string, extra = '') => `
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
function isPrime(n: number): boolean { if (n < 2) return false; for (let d = 2; d * d <= n; d++) if (n % d === 0) return false; return true; }
if (!isMainThread) {
  ${extra}
  let count = 0;
  for (let n = workerData.from; n < workerData.to; n++) if (isPrime(n)) count++;
  parentPort!.postMessage(count);
}
export async function countPrimes(limit: number, threads: number): Promise<number> {
  const counts = await Promise.all(Array.from({ length: threads }, (_, i) => new Promise<number>((resolve, reject) => {
    const { from, to } = ${bounds};
    const worker = new Worker(__filename, { workerData: { from, to } });
    worker.on('message', resolve);
    worker.on('error', reject);
  })));
  return counts.reduce((a, b) => a + b, 0);
}`;

describe('ctx.runMain through gradeSubmission', () => {
  it('passes a correct solution written for the course rules', () => {
    const report = grade(WORKER_PATTERNS);
    expect(failedChecks(report)).toEqual([]);
    expect(report.status).toBe('passed');
  });

  it('fails only the count check, with the evidence, when each range leaves out its last number', () => {
    // With 2 threads the first range ends before 4,999, a prime: one too few.
    const report = grade(
      countingSolution(
        '{ from: Math.floor((i * limit) / threads), to: Math.floor(((i + 1) * limit) / threads) - 1 }',
      ),
    );
    expect(report.status).toBe('failed');
    const failed = failedChecks(report);
    expect(failed.map(([id]) => id)).toEqual(['counts']);
    expect(failed[0][1]).toContain('countPrimes(10000, 2) resolved with 1228; expected 1229');
  });

  it('fails the checks of a solution whose workers never finish, with what the host saw, instead of hanging', () => {
    const report = grade(countingSolution('{ from: 0, to: 0 }', 'for (;;);'), 300);
    expect(report.status).toBe('failed');
    expect(failedChecks(report)).toEqual([
      [
        'counts',
        expect.stringMatching(/^countPrimes\(10000, 1\) had not settled after \d+ ms and was stopped/),
      ],
      [
        'workers',
        'countPrimes(100000, 2) started 2 worker threads (running, running); expected 2 that exit by themselves',
      ],
    ]);
  });

  it('ends as memory_limit when a worker passes the exercise memory limit', () => {
    const report = grade(
      countingSolution(
        '{ from: 0, to: limit }',
        'const kept: number[][] = []; for (;;) kept.push(new Array(10_000).fill(1.5));',
      ),
    );
    expect(report.status).toBe('memory_limit');
    expect(report.error?.message).toBe('worker thread 1 used more than the 32 MB of memory a thread may use');
  });
});
