/**
 * The whole path grader -> ctx.runThreads -> report, through gradeSubmission in a child process
 * running dist/ (isolated-vm cannot load inside Jest), with the fixture-mutex grader.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { ThreadFixtureRequest, ThreadFixtureResult } from './__fixtures__/grade-thread-fixture';

const RUNNER = resolve(__dirname, '../../dist/src/grading/__fixtures__/grade-thread-fixture.js');

function grade(request: ThreadFixtureRequest): ThreadFixtureResult {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify(request),
    encoding: 'utf8',
  });
  return JSON.parse(output) as ThreadFixtureResult;
}

const FUTEX_MUTEX = `
export class Mutex {
  constructor(private state: Int32Array, private index = 0) {}
  lock(): void {
    let c = Atomics.compareExchange(this.state, this.index, 0, 1);
    if (c === 0) return;
    if (c !== 2) c = Atomics.exchange(this.state, this.index, 2);
    while (c !== 0) {
      Atomics.wait(this.state, this.index, 2);
      c = Atomics.exchange(this.state, this.index, 2);
    }
  }
  unlock(): void {
    if (Atomics.sub(this.state, this.index, 1) !== 1) {
      Atomics.store(this.state, this.index, 0);
      Atomics.notify(this.state, this.index, 1);
    }
  }
}`;

const checkOf = (result: ThreadFixtureResult, id: string) =>
  result.report.checks.find((check) => check.id === id)!;

describe('ctx.runThreads through gradeSubmission', () => {
  it('passes a correct futex mutex under 2, 4 and 8 threads, and leaves no isolate behind', () => {
    const result = grade({ code: FUTEX_MUTEX });
    expect(result.report.status).toBe('passed');
    expect(result.liveIsolatesAfter).toBe(0);
    // Every run's evidence says how busy the machine was over it (ThreadRunEvidence.host).
    expect(checkOf(result, 'no-hang').message).toBe('machine measured on 3 of 3 runs');
  });

  it('fails a no-op lock with the increments it lost, as evidence', () => {
    const result = grade({
      code: 'export class Mutex { constructor(s: Int32Array) {} lock() {} unlock() {} }',
      // Three runs of 4 x 1e6 unguarded increments: measured, every run loses some (docs/threads.md).
      settings: { threads: [4, 4, 4], rounds: 1_000_000 },
    });
    expect(result.report.status).toBe('failed');
    expect(checkOf(result, 'exclusion').message).toMatch(
      /^lost [\d,]+ of 4,000,000 increments \(\d+\.\d%\) with 4 threads(; |$)/,
    );
    expect(checkOf(result, 'no-hang').status).toBe('passed');
  });

  it('fails an unlock that never wakes the sleepers with the deadlock and the lost wake-ups', () => {
    const result = grade({
      code: `export class Mutex {
          constructor(private state: Int32Array) {}
          lock(): void { while (Atomics.compareExchange(this.state, 0, 0, 1) !== 0) Atomics.wait(this.state, 0, 1); }
          unlock(): void { Atomics.store(this.state, 0, 0); }
        }`,
      settings: { threads: [4], rounds: 50_000 },
    });
    expect(result.report.status).toBe('failed');
    expect(checkOf(result, 'no-hang').message).toMatch(
      /^deadlock with 4 threads: thread \d sleeps on state\[0\] expecting 1 while it holds 0.*nobody woke threads? [\d, ]+ \(lost wake-up\)$/,
    );
    expect(result.liveIsolatesAfter).toBe(0);
  });

  it("fails a lock that spins forever with the scenario's wall time as evidence, not a timeout verdict", () => {
    const result = grade({
      code: `export class Mutex {
          constructor(private state: Int32Array) {}
          lock(): void { while (Atomics.compareExchange(this.state, 0, 0, 1) !== 0); }
          unlock(): void {}
        }`,
      settings: { threads: [2], rounds: 10, wallTimeMs: 400 },
    });
    expect(result.report.status).toBe('failed');
    expect(checkOf(result, 'no-hang').message).toMatch(
      /^still not done after \d+ ms with 2 threads: thread 1 was still running, thread 2 was still running$/,
    );
    expect(result.liveIsolatesAfter).toBe(0);
  });

  it('ends grading as timeout when the grading deadline passes during a run', () => {
    const result = grade({
      code: 'export class Mutex { constructor(s: Int32Array) {} lock() { for (;;); } unlock() {} }',
      settings: { threads: [2], wallTimeMs: 5000 },
      limits: { timeoutMs: 600 },
    });
    expect(result.report.status).toBe('timeout');
    expect(result.report.error?.message).toMatch(/ran for more than 600 ms/);
    expect(result.liveIsolatesAfter).toBe(0);
  });

  it('ends grading as runtime_error with the line when the module throws while it loads', () => {
    const result = grade({ code: `${FUTEX_MUTEX}\nconst table: number[] = [];\ntable.at(0)!.toFixed();\n` });
    expect(result.report.status).toBe('runtime_error');
    expect(result.report.error).toEqual({
      message: expect.stringMatching(/^the module threw while it loaded in a thread: TypeError: /),
      location: { line: FUTEX_MUTEX.split('\n').length + 2, column: expect.any(Number) },
    });
  });

  it('ends grading as memory_limit when one thread passes its memory', () => {
    const result = grade({
      code: `${FUTEX_MUTEX.replace('lock(): void {', 'lock(): void {\n    if (Atomics.load(this.state, 3) === 0 && Atomics.add(this.state, 3, 1) === 0) { const kept: number[][] = []; for (;;) kept.push(new Array(10000).fill(1.5)); }')}`,
      settings: { threads: [4] },
    });
    expect(result.report.status).toBe('memory_limit');
    expect(result.report.error?.message).toMatch(
      /^thread \d used more than the 16 MB of memory each thread may use$/,
    );
    expect(result.liveIsolatesAfter).toBe(0);
  });

  it('ends grading as runtime_error when more threads are started than a submission may use', () => {
    const result = grade({ code: FUTEX_MUTEX, settings: { threads: [17] } });
    expect(result.report.status).toBe('runtime_error');
    expect(result.report.error?.message).toBe(
      '17 threads were started; a submission may use at most 16 threads at once',
    );
  });

  it('blames the grader, not the student, when its thread code returns a value that cannot be copied', () => {
    const result = grade({ code: FUTEX_MUTEX, settings: { threads: [2], returnExport: true } });
    expect(result.report.status).toBe('internal_error');
    expect(result.report.error?.message).toMatch(
      /^the grader's thread code returned a value that cannot be copied/,
    );
    expect(result.liveIsolatesAfter).toBe(0);
  });
});
