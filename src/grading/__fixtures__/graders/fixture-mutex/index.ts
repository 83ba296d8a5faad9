import type {
  ExerciseGrader,
  ThreadCode,
  ThreadInfo,
  ThreadRunEvidence,
} from '../../../../../graders/grader-api';

/**
 * Test-only grader: drives ctx.runThreads the way the thread exercises do. Each thread counts
 * `rounds` times under the submission's Mutex; the host reads the count from memory the
 * submission never gets, and judges a run that does not complete from the evidence.
 */
interface CountingShared {
  state: SharedArrayBuffer;
  counter: SharedArrayBuffer;
  /** signals[0]: threads ready to contend; signals[1]: never set (a place to sleep with a timeout). */
  signals: SharedArrayBuffer;
  rounds: number;
  /** Return the Mutex class instead of plain data: a grader bug the framework must catch. */
  returnExport: boolean;
}

const counting: ThreadCode = () => {
  const Int32 = Int32Array;
  const { add, load, wait } = Atomics;
  return (exports: Record<string, unknown>, shared: CountingShared, thread: ThreadInfo) => {
    const Mutex = exports.Mutex as new (state: Int32Array) => { lock(): void; unlock(): void };
    const mutex = new Mutex(new Int32(shared.state));
    const c = new Int32(shared.counter);
    const signals = new Int32(shared.signals);
    // Contention even on a busy machine: thread 0 holds the lock until the others are ready and
    // had 50 ms to call lock() and fall asleep in it; its first round counts like any other.
    let round = 0;
    if (thread.index === 0) {
      mutex.lock();
      while (load(signals, 0) < thread.count - 1) wait(signals, 1, 0, 5);
      wait(signals, 1, 0, 50);
      c[0] = c[0] + 1;
      mutex.unlock();
      round = 1;
    } else add(signals, 0, 1);
    for (; round < shared.rounds; round++) {
      mutex.lock();
      const v = c[0];
      c[0] = v + 1;
      mutex.unlock();
    }
    return shared.returnExport ? exports.Mutex : 'done';
  };
};

interface FixtureSettings {
  threads: number[];
  rounds: number;
  wallTimeMs: number;
  returnExport?: boolean;
}

const fixtureMutexGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = ctx.settings as unknown as FixtureSettings;
    const problems = { exclusion: [] as string[], 'no-hang': [] as string[] };
    let measured = 0;
    for (const threads of settings.threads) {
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const evidence = await ctx.runThreads({
        label: `${threads} threads`,
        threads,
        code: counting,
        shared: {
          state: new SharedArrayBuffer(16),
          counter: counter.buffer,
          signals: new SharedArrayBuffer(8),
          rounds: settings.rounds,
          returnExport: settings.returnExport ?? false,
        },
        wallTimeMs: settings.wallTimeMs,
      });
      const { host } = evidence;
      // The machine's busy time must cover the run it describes (reported in no-hang's pass message).
      if (host && host.spanMs >= evidence.wallMs && host.processCpuMs > 0 && host.cores >= 1) measured++;
      const expected = threads * settings.rounds;
      if (evidence.status !== 'completed') problems['no-hang'].push(describeHang(evidence));
      else if (counter[0] !== expected) {
        const lost = expected - counter[0];
        problems.exclusion.push(
          `lost ${lost.toLocaleString('en-US')} of ${expected.toLocaleString('en-US')} increments ` +
            `(${((100 * lost) / expected).toFixed(1)}%) with ${evidence.label}`,
        );
      }
    }
    for (const [check, found] of Object.entries(problems)) {
      if (found.length === 0)
        checks.pass(
          check,
          check === 'no-hang'
            ? `machine measured on ${measured} of ${settings.threads.length} runs`
            : undefined,
        );
      else checks.fail(check, found.join('; '));
    }
  },
};

function describeHang(evidence: ThreadRunEvidence): string {
  const stuck = evidence.threads.filter((thread) => thread.end.kind === 'stopped');
  const where = stuck
    .map((thread) => {
      const site = thread.waitingOn;
      if (!site) return `thread ${thread.threadId} was still running`;
      const cell = site.buffer === null ? 'its own memory' : `${site.buffer}[${site.index}]`;
      return `thread ${thread.threadId} sleeps on ${cell} expecting ${site.expected} while it holds ${site.current}`;
    })
    .join(', ');
  const lost = evidence.lostWakeups.length
    ? `; the value changed but nobody woke thread${evidence.lostWakeups.length > 1 ? 's' : ''} ` +
      `${evidence.lostWakeups.map((index) => evidence.threads[index].threadId).join(', ')} (lost wake-up)`
    : '';
  const what =
    evidence.status === 'deadlock' ? 'deadlock' : `still not done after ${Math.round(evidence.wallMs)} ms`;
  return `${what} with ${evidence.label}: ${where}${lost}`;
}

export default fixtureMutexGrader;
