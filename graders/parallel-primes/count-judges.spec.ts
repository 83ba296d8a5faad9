import { judgeCount, judgeWorkersStarted } from './count-judges';
import { PrimeTable } from './prime-table';
import { fakeEvidence } from './testing/fake-main-runs';

const table = new PrimeTable(200_000);
const twoWorkers = [{ cpuMs: 10 }, { cpuMs: 10 }];

describe('judgeCount', () => {
  it('passes the exact count', () => {
    expect(
      judgeCount(
        { limit: 100, threads: 2 },
        fakeEvidence({ value: 25, wallMs: 20, workers: twoWorkers }),
        table,
      ),
    ).toEqual({
      passed: true,
    });
  });

  it('says how far off the count is and why the case was chosen', () => {
    const verdict = judgeCount(
      {
        limit: 89_974,
        threads: 2,
        why: 'splitting into 2 ranges at floor(i * limit / 2) puts the prime 44,987 on a boundary between threads',
      },
      fakeEvidence({ value: 8_709, wallMs: 20, workers: twoWorkers }),
      table,
    );
    expect(verdict).toEqual({
      passed: false,
      message:
        'countPrimes(89,974, 2) returned 8,709, but there are 8,710 primes below 89,974 (1 prime too few); splitting into 2 ranges at floor(i * limit / 2) puts the prime 44,987 on a boundary between threads',
    });
  });

  it('names a value that is not a number, a rejection with its line, and a run that never settled', () => {
    const call = { limit: 10, threads: 3 };
    expect(judgeCount(call, fakeEvidence({ value: '4', wallMs: 5, workers: [] }), table)).toEqual({
      passed: false,
      message: 'countPrimes(10, 3) resolved with "4", not a number',
    });
    const rejected = {
      ...fakeEvidence({ wallMs: 5, workers: [] }),
      result: { kind: 'rejected' as const, message: 'boom', location: { line: 7, column: 3 } },
    };
    expect(judgeCount(call, rejected, table)).toEqual({
      passed: false,
      message: 'countPrimes(10, 3) rejected with "boom" (line 7)',
    });
    const stopped = {
      ...fakeEvidence({ wallMs: 10_000, workers: [] }),
      result: { kind: 'timeout' as const },
    };
    expect(judgeCount(call, stopped, table)).toEqual({
      passed: false,
      message: 'countPrimes(10, 3) had not settled after 10,000 ms and was stopped',
    });
    const base = fakeEvidence({
      wallMs: 10_000.4,
      workers: [{ cpuMs: 9990.2 }, { cpuMs: 3 }, { cpuMs: 20 }],
    });
    const [busy, asleep, exited] = base.workers;
    const hanging = {
      ...base,
      workers: [
        { ...busy, end: 'running' as const, endedAtMs: null },
        { ...asleep, end: 'running' as const, endedAtMs: null, blockedMs: 9950.6 },
        exited,
      ],
      result: { kind: 'timeout' as const },
    };
    expect(judgeCount(call, hanging, table).message).toBe(
      'countPrimes(10, 3) had not settled after 10,000 ms and was stopped; still running: ' +
        'worker thread 1 busy (9,990 ms of CPU), worker thread 2 asleep in Atomics.wait (9,951 ms of it)',
    );
  });

  it('counts one prime below 3 and none below 2', () => {
    const evidence = (value: number) => fakeEvidence({ value, wallMs: 5, workers: [] });
    expect(judgeCount({ limit: 3, threads: 4 }, evidence(1), table).passed).toBe(true);
    expect(judgeCount({ limit: 2, threads: 4 }, evidence(1), table)).toEqual({
      passed: false,
      message: 'countPrimes(2, 4) returned 1, but there are 0 primes below 2 (1 prime too many)',
    });
  });
});

describe('judgeWorkersStarted', () => {
  it('wants exactly `threads` worker threads', () => {
    const call = { limit: 50_000, threads: 3 };
    expect(
      judgeWorkersStarted(
        call,
        fakeEvidence({ wallMs: 5, workers: [{ cpuMs: 1 }, { cpuMs: 1 }, { cpuMs: 1 }] }),
      ).passed,
    ).toBe(true);
    expect(judgeWorkersStarted(call, fakeEvidence({ wallMs: 5, workers: twoWorkers }))).toEqual({
      passed: false,
      message: 'countPrimes(50,000, 3) started 2 worker threads; it must spread the work over 3',
    });
    expect(judgeWorkersStarted(call, fakeEvidence({ wallMs: 5, workers: [] })).message).toMatch(
      /started no worker thread: the count ran on the main thread/,
    );
  });
});
