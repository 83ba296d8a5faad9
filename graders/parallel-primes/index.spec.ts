import { join } from 'node:path';
import type { CheckRecorder, GraderContext, MainRunEvidence, MainRunScenario } from '../grader-api';
import { readManifest } from '../lib/testing/in-process-grading';
import { seededRandom } from '../lib/testing/seeded-random';
import parallelPrimesGrader from './index';
import { parseParallelPrimesSettings } from './parallel-primes-settings';
import { PrimeTable } from './prime-table';
import { fakeEvidence } from './testing/fake-main-runs';

/**
 * The grader's plan of runs, against a made-up runMain: a correct solution's evidence (exact
 * counts, an even share, 1.85x on 2 cores) on a machine that is busy when `busy(call)` says so.
 * The real sandbox runs the exercise in test/exercises.spec.ts.
 */
const manifest = readManifest(join(__dirname, '../../exercises/parallel-primes'));
const settings = parseParallelPrimesSettings(manifest.settings);
const table = new PrimeTable(settings.timing.limit);

interface Graded {
  checks: Record<string, { passed: boolean; message: string }>;
  /** The thread counts of the timed runs, in order. */
  timedThreads: number[];
}

async function grade(
  dedicatedCores: number,
  busy: (timedCall: number) => boolean = () => false,
  hangs: (limit: number, threads: number) => boolean = () => false,
): Promise<Graded & { calls: number }> {
  const timedThreads: number[] = [];
  let calls = 0;
  const runMain = async ({ args }: MainRunScenario): Promise<MainRunEvidence> => {
    const [limit, threads] = args as [number, number];
    calls++;
    if (hangs(limit, threads))
      return { ...fakeEvidence({ wallMs: 10_000, workers: [{ cpuMs: 9990 }] }), result: { kind: 'timeout' } };
    const timed = limit === settings.timing.limit;
    const disturbed = timed && busy(timedThreads.length);
    if (timed) timedThreads.push(threads);
    const work = timed ? 520 : 5;
    const wallMs = (threads === 1 ? work : (work / threads) * 1.08) + (disturbed ? 300 : 0);
    return fakeEvidence({
      value: table.countBelow(limit),
      wallMs,
      workers: Array.from({ length: threads }, () => ({ cpuMs: wallMs - 4 })),
      processCpuMs: work + 10,
      foreignMs: disturbed ? 500 : 5,
    });
  };
  const checks: Graded['checks'] = {};
  const recorder: CheckRecorder = {
    pass: (id, message = '') => void (checks[id] = { passed: true, message }),
    fail: (id, message) => void (checks[id] = { passed: false, message }),
  };
  const ctx: GraderContext = {
    seed: 'plan',
    random: (stream) => seededRandom('plan', stream),
    settings: manifest.settings ?? {},
    runAsync: () => Promise.reject(new Error('not an async exercise')),
    runAsyncDriver: () => Promise.reject(new Error('not an async exercise')),
    runThreads: () => Promise.reject(new Error('not a runThreads exercise')),
    explore: () => Promise.reject(new Error('not a controlled exercise')),
    runMain,
    hiddenCheck: () => Promise.reject(new Error('parallel-primes has no hidden check')),
    dedicatedCores,
  };
  await parallelPrimesGrader.grade(ctx, recorder);
  return { checks, timedThreads, calls };
}

const everyCheck = manifest.checks.map((check) => check.id);
const failedIds = (graded: Graded) => everyCheck.filter((id) => !graded.checks[id]?.passed);

describe('the parallel-primes grader’s plan', () => {
  it('times 1 thread and 2 threads alternately, three undisturbed runs each, and judges every check', async () => {
    const graded = await grade(2);
    expect(failedIds(graded)).toEqual([]);
    expect(graded.timedThreads).toEqual([1, 2, 2, 1, 1, 2]);
    expect(graded.checks.speedup.message).toMatch(/took 520 ms.*281 ms: 1\.85x faster/);
  });

  it('runs disturbed measurements again, and stops once it has three undisturbed runs of each', async () => {
    const graded = await grade(2, (call) => call === 1);
    expect(graded.timedThreads).toEqual([1, 2, 2, 1, 1, 2, 2, 1]);
    expect(graded.checks.speedup).toMatchObject({
      passed: true,
      message: expect.stringMatching(/^countPrimes/),
    });
  });

  it('gives up after the most runs the settings allow on a machine that stays busy, and does not fail a correct solution', async () => {
    const graded = await grade(2, () => true);
    expect(graded.timedThreads).toHaveLength(2 * settings.timing.maxRuns);
    expect(failedIds(graded)).toEqual([]);
    expect(graded.checks.speedup.message).toMatch(
      /^could not measure undisturbed.*not failed for a busy machine$/,
    );
  });

  it('with fewer than 2 cores of its own measures no speedup, says so, and still judges the work with 2 threads', async () => {
    const graded = await grade(1);
    expect(graded.timedThreads).toEqual([2, 2, 2]);
    expect(failedIds(graded)).toEqual([]);
    expect(graded.checks.speedup.message).toMatch(/^not measured: this grading had 1 core to itself/);
  });

  it('times k threads against 1 with k dedicated cores', async () => {
    const graded = await grade(4);
    expect(graded.timedThreads).toEqual([1, 4, 4, 1, 1, 4]);
  });

  it('stops calling after two calls that never settle, and fails every check it could not judge with why', async () => {
    const graded = await grade(2, undefined, (limit) => limit <= 1);
    expect(graded.calls).toBe(2);
    expect(everyCheck.filter((id) => graded.checks[id] === undefined)).toEqual([]);
    expect(failedIds(graded)).toEqual(everyCheck);
    expect(graded.checks['small-limits'].message).toBe(
      'countPrimes(0, 1) had not settled after 10,000 ms and was stopped',
    );
    expect(graded.checks.speedup.message).toBe(
      'not checked: countPrimes(0, 1) and countPrimes(0, 2) never settled, so no further call was made',
    );
  });

  it('goes on after a single call that never settles', async () => {
    const graded = await grade(2, undefined, (limit, threads) => limit === 0 && threads === 1);
    expect(failedIds(graded)).toEqual(['small-limits']);
  });
});
