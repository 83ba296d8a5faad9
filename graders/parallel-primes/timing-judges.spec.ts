import type { TimingSettings } from './parallel-primes-settings';
import type { TimedRun } from './timed-runs';
import { fakeEvidence, type FakeRun } from './testing/fake-main-runs';
import { judgeBalance, judgeParallel, judgeSpeedup } from './timing-judges';

const timing: TimingSettings = {
  limit: 5_000_000,
  runs: 3,
  maxRuns: 6,
  minSpeedupPerCore: 0.7,
  maxBusiestToMean: 1.3,
  disturbedShare: 0.1,
  budgetMs: 30_000,
};

const timed = (threads: number, run: FakeRun): TimedRun => ({ threads, evidence: fakeEvidence(run) });
const single = (wallMs: number, foreignMs = 5) =>
  timed(1, { wallMs, workers: [{ cpuMs: wallMs - 5 }], foreignMs });
const pair = (wallMs: number, cpuMs: [number, number], foreignMs = 5) =>
  timed(2, { wallMs, workers: cpuMs.map((cpu) => ({ cpuMs: cpu })), foreignMs });
/** A single-thread run on a busy machine: the OS counted 525 ms for the process, whatever the wall time. */
const busySingle = (wallMs: number) =>
  timed(1, { wallMs, workers: [{ cpuMs: wallMs - 5 }], processCpuMs: 525, foreignMs: 600 });
/** Workers that ran one after another: the second started when the first had ended. */
const oneAfterAnother = (wallMs: number) =>
  timed(2, {
    wallMs,
    workers: [
      { cpuMs: wallMs / 2 - 4, startedAtMs: 2, endedAtMs: wallMs / 2 },
      { cpuMs: wallMs / 2 - 4, startedAtMs: wallMs / 2 + 1, endedAtMs: wallMs - 1 },
    ],
  });

describe('judgeSpeedup', () => {
  it('passes 1.8x on 2 dedicated cores, comparing medians, and shows both times, the speedup and each thread’s CPU', () => {
    const runs = [
      single(520),
      pair(290, [280, 275]),
      pair(300, [290, 288]),
      single(510),
      single(530),
      pair(295, [285, 280]),
    ];
    expect(judgeSpeedup(runs, 2, timing)).toEqual({
      passed: true,
      message:
        'countPrimes(5,000,000, 1) took 520 ms, countPrimes(5,000,000, 2) 295 ms: 1.76x faster (medians of 3 and 3 alternating runs; CPU per thread 285 ms, 280 ms); needed 1.40x with 2 cores to itself',
    });
  });

  it('fails no speedup, with the evidence', () => {
    const runs = [
      single(520),
      pair(530, [520, 3]),
      single(510),
      pair(525, [515, 3]),
      single(515),
      pair(540, [530, 3]),
    ];
    const verdict = judgeSpeedup(runs, 2, timing);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(
      /^countPrimes\(5,000,000, 1\) took 515 ms, countPrimes\(5,000,000, 2\) 530 ms: 0\.97x faster/,
    );
    expect(verdict.message).toMatch(
      /needed 1\.40x with 2 cores to itself\. Start every worker before waiting/,
    );
  });

  it('needs 0.7 x k with k cores', () => {
    const four = (wallMs: number) =>
      timed(4, { wallMs, workers: [1, 2, 3, 4].map(() => ({ cpuMs: wallMs - 5 })), cores: 4 });
    const one = (wallMs: number) => timed(1, { wallMs, workers: [{ cpuMs: wallMs - 5 }], cores: 4 });
    const runs = [one(1000), four(370), one(1000), four(370), one(1000), four(370)];
    expect(judgeSpeedup(runs, 4, timing)).toMatchObject({
      passed: false,
      message: expect.stringMatching(/2\.70x faster.*needed 2\.80x/),
    });
    expect(judgeSpeedup(runs, 3, timing).message).toMatch(/no timed run with 3 threads finished/);
  });

  it('does not judge without 2 cores of its own, and says so', () => {
    expect(judgeSpeedup([pair(520, [500, 3])], 1, timing)).toEqual({
      passed: true,
      message:
        'not measured: this grading had 1 core to itself, and a speedup needs at least 2; the other checks still judge how the work is shared',
    });
  });

  it('never fails a correct solution on a busy machine: when the retries run out it judges from the CPU time the system counted', () => {
    // Other processes stretched every run; the process's own CPU time (525-535 ms) is what it always is.
    const busyPair = (wallMs: number) =>
      timed(2, {
        wallMs,
        workers: [{ cpuMs: wallMs - 50 }, { cpuMs: wallMs - 20 }],
        processCpuMs: 535,
        foreignMs: 700,
      });
    const runs = [
      busySingle(900),
      busyPair(700),
      busySingle(950),
      busyPair(720),
      busySingle(880),
      busyPair(690),
    ];
    const verdict = judgeSpeedup(runs, 2, timing);
    expect(verdict).toEqual({
      passed: true,
      message:
        'could not measure undisturbed: other processes used about 700 ms of CPU during each run with 2 threads, in 6 runs. From the CPU time the system counted for your threads instead, countPrimes(5,000,000, 1) would take at most 575 ms on a quiet machine and countPrimes(5,000,000, 2) at least 227 ms: at most 2.53x; not failed for a busy machine',
    });
  });

  it('still fails no speedup on a busy machine: one thread cannot run faster than its own CPU time', () => {
    const busyMain = (threads: number, wallMs: number) =>
      timed(threads, { wallMs, workers: [], processCpuMs: 520, mainCpuMs: wallMs - 10, foreignMs: 700 });
    const runs = [busyMain(1, 900), busyMain(2, 900), busyMain(1, 950), busyMain(2, 880)];
    const verdict = judgeSpeedup(runs, 2, timing);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(
      /at most 570 ms on a quiet machine and countPrimes\(5,000,000, 2\) at least 442 ms: at most 1\.29x, below the 1\.40x needed/,
    );
  });
});

describe('judgeSpeedup of workers that ran one after another', () => {
  // Every run disturbed; the OS counted 525-535 ms for the process, but the workers' own estimates
  // are inflated by the wait for a core, so each alone proves little.
  // The first worker ends at `firstEndsAt`, the second starts at `secondStartsAt`.
  const busyInTurn = (wallMs: number, firstEndsAt = wallMs / 2, secondStartsAt = wallMs / 2 + 1) =>
    timed(2, {
      wallMs,
      workers: [
        { cpuMs: wallMs / 2 - 4, startedAtMs: 2, endedAtMs: firstEndsAt },
        { cpuMs: wallMs / 2 - 4, startedAtMs: secondStartsAt, endedAtMs: wallMs - 1 },
      ],
      processCpuMs: 535,
      foreignMs: 700,
    });

  /** Single-thread and two-worker runs in turn, as the grader times them. */
  const alternating = (pair: (wallMs: number) => TimedRun) => [
    busySingle(900),
    pair(900),
    busySingle(950),
    pair(920),
    busySingle(880),
    pair(910),
  ];

  it('fails them on a busy machine as on a quiet one: they cannot finish sooner than their CPU time together', () => {
    const runs = alternating(busyInTurn);
    const verdict = judgeSpeedup(runs, 2, timing);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(
      /at most 575 ms on a quiet machine and countPrimes\(5,000,000, 2\) at least 452 ms \(its workers ran one after another, so no sooner than their CPU time together\): at most 1\.27x, below the 1\.40x needed/,
    );
  });

  it('allows for the moment the workers overlap while one shuts down and the next starts', () => {
    const lagging = (wallMs: number) => busyInTurn(wallMs, wallMs / 2 + 30, wallMs / 2);
    const runs = alternating(lagging);
    const verdict = judgeSpeedup(runs, 2, timing);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(
      /at least 422 ms \(its workers ran one after another.*at most 1\.36x, below the 1\.40x needed/,
    );
  });

  it('keeps the looser bound when the workers overlapped in any run', () => {
    const overlapping = timed(2, {
      wallMs: 700,
      workers: [{ cpuMs: 650 }, { cpuMs: 680 }],
      processCpuMs: 535,
      foreignMs: 700,
    });
    const runs = [
      busySingle(900),
      busyInTurn(900),
      busySingle(950),
      overlapping,
      busySingle(880),
      busyInTurn(910),
    ];
    const verdict = judgeSpeedup(runs, 2, timing);
    expect(verdict.message).not.toMatch(/one after another/);
    expect(verdict.passed).toBe(true);
  });
});

describe('judgeParallel', () => {
  it('passes workers that ran at the same time', () => {
    expect(judgeParallel([pair(300, [290, 288]), pair(305, [295, 290])], 2).passed).toBe(true);
  });

  it('passes a worker with almost nothing to do beside a busy one (that is the balance check’s business)', () => {
    expect(judgeParallel([pair(520, [510, 2])], 2).passed).toBe(true);
  });

  it('fails workers that ran one after another in every run, naming the threads and times', () => {
    expect(judgeParallel([oneAfterAnother(520), oneAfterAnother(540)], 2)).toEqual({
      passed: false,
      message:
        'with 2 threads the worker threads ran one after another: thread 2 started at 261 ms, when thread 1 had already ended (at 260 ms); start every worker before waiting for any of them (in all 2 runs)',
    });
  });

  it('counts a worker that is still exiting when the next starts as one after another', () => {
    const run = timed(2, {
      wallMs: 520,
      workers: [
        { cpuMs: 255, startedAtMs: 2, endedAtMs: 262 },
        { cpuMs: 255, startedAtMs: 260, endedAtMs: 519 },
      ],
    });
    expect(judgeParallel([run], 2).message).toMatch(
      /thread 2 started at 260 ms, when thread 1 had all but ended \(at 262 ms\)/,
    );
  });

  it('fails a run without workers', () => {
    expect(judgeParallel([timed(2, { wallMs: 500, workers: [] })], 2).message).toMatch(
      /only 0 worker threads ran, so nothing ran in parallel/,
    );
  });

  it('passes when one of several runs shows the workers together', () => {
    expect(judgeParallel([oneAfterAnother(520), pair(300, [290, 288])], 2).passed).toBe(true);
  });
});

describe('judgeBalance', () => {
  it('passes an even share and shows each thread’s CPU', () => {
    expect(
      judgeBalance([pair(300, [290, 280]), pair(300, [285, 284]), pair(300, [290, 270])], 2, 2, timing),
    ).toEqual({
      passed: true,
      message:
        'the busiest of 2 worker threads used 290 ms of CPU, 1.02x the mean of 285 ms (CPU per thread 290 ms, 280 ms; the median of 3 runs); at most 1.30x allowed',
    });
  });

  it('fails one worker doing everything and names the idle thread', () => {
    const verdict = judgeBalance(
      [pair(520, [510, 2]), pair(520, [505, 2]), pair(520, [512, 3])],
      2,
      2,
      timing,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(
      /used 505 ms of CPU, 1\.99x the mean of 254 ms.*Thread 2 did next to nothing/,
    );
  });

  it('fails a split where one thread gets the cheap numbers', () => {
    const verdict = judgeBalance(
      [pair(400, [390, 130]), pair(400, [392, 128]), pair(400, [391, 131])],
      2,
      2,
      timing,
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(/1\.50x the mean.*Numbers near the limit cost more to test/);
  });

  it('fails a run with fewer than 2 workers', () => {
    expect(judgeBalance([timed(2, { wallMs: 500, workers: [] })], 2, 2, timing).message).toBe(
      'the work was not shared: countPrimes(5,000,000, 2) ran 0 worker threads',
    );
  });

  it('judges only undisturbed runs when there are some', () => {
    expect(judgeBalance([pair(300, [290, 280]), pair(450, [440, 280], 150)], 2, 2, timing).passed).toBe(true);
  });

  it('judges from the CPU time the system counted when every run was disturbed: an even share passes, one idle worker still fails', () => {
    const busy = (cpuMs: [number, number]) =>
      timed(2, {
        wallMs: 700,
        workers: cpuMs.map((cpu) => ({ cpuMs: cpu })),
        processCpuMs: 525,
        foreignMs: 700,
      });
    const even = judgeBalance([busy([650, 680]), busy([640, 690])], 2, 2, timing);
    expect(even.passed).toBe(true);
    expect(even.message).toMatch(
      /^could not measure undisturbed \(other processes were busy during all 2 runs\).*not failed for a busy machine$/,
    );
    const lopsided = judgeBalance([busy([690, 10]), busy([695, 12])], 2, 2, timing);
    expect(lopsided.passed).toBe(false);
    expect(lopsided.message).toMatch(
      /\(your process used 525 ms of CPU; CPU per thread 695 ms, 12 ms, stretched by waiting for a core\), the busiest of 2 worker threads used at least 1\.64x the mean; at most 1\.30x allowed\. Thread 2 did next to nothing/,
    );
  });
});
