import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, formatMs, plural } from '../lib/format';
import type { TimingSettings } from './parallel-primes-settings';
import {
  busiestToMeanAtLeast,
  disturbanceMs,
  isDisturbed,
  median,
  medianRun,
  resolved,
  wallAtLeast,
  wallAtMost,
  workersWallAtLeast,
  type TimedRun,
} from './timed-runs';

/**
 * Judges of the timed runs: countPrimes(limit, 1) and countPrimes(limit, k) alternating, k being
 * the cores this grading has to itself. A correct solution must never fail for a busy machine:
 * disturbed runs are measured again, and when the retries run out the judges use bounds that
 * other processes cannot stretch (the CPU time the system counted for the sandbox process), each
 * taken in the submission's favour; only what fails even then is failed.
 */

const speedupText = (value: number) => `${value.toFixed(2)}x`;

export function describeWorkerCpu(run: TimedRun): string {
  const workers = run.evidence.workers;
  if (workers.length === 0) return 'no worker thread';
  return `CPU per thread ${workers.map((worker) => formatMs(Math.round(worker.cpuMs))).join(', ')}`;
}

export function judgeSpeedup(
  runs: readonly TimedRun[],
  dedicatedCores: number,
  timing: TimingSettings,
): Verdict {
  const k = dedicatedCores;
  if (k < 2)
    return pass(
      `not measured: this grading had ${plural(k, 'core')} to itself, and a speedup needs at least 2; the other checks still judge how the work is shared`,
    );
  const single = resolved(runs, 1);
  const multi = resolved(runs, k);
  if (single.length === 0 || multi.length === 0)
    return fail(
      `no timed run with ${single.length === 0 ? '1 thread' : `${k} threads`} finished, so there is no speedup to measure`,
    );
  const needed = timing.minSpeedupPerCore * k;
  const calm = (run: TimedRun) => !isDisturbed(run.evidence, k, timing.disturbedShare);
  const [calmSingle, calmMulti] = [single.filter(calm), multi.filter(calm)];
  const limit = formatCount(timing.limit);

  if (calmSingle.length >= timing.runs && calmMulti.length >= timing.runs) {
    const wallSingle = median(calmSingle.map((run) => run.evidence.wallMs));
    const wallMulti = median(calmMulti.map((run) => run.evidence.wallMs));
    const speedup = wallSingle / wallMulti;
    const shown = medianRun(calmMulti, (run) => run.evidence.wallMs);
    const message =
      `countPrimes(${limit}, 1) took ${formatMs(Math.round(wallSingle))}, countPrimes(${limit}, ${k}) ${formatMs(Math.round(wallMulti))}: ` +
      `${speedupText(speedup)} faster (medians of ${calmSingle.length} and ${calmMulti.length} alternating runs; ${describeWorkerCpu(shown)}); ` +
      `needed ${speedupText(needed)} with ${k} cores to itself`;
    return speedup >= needed ? pass(message) : fail(`${message}. ${slowHint(shown, k)}`);
  }

  // The retries ran out on a busy machine: judge from bounds that other processes cannot stretch.
  // Workers that ran one after another in every run (the `parallel` check fails them too) cannot
  // finish much sooner than their CPU time together, on any machine: so a busy machine does not
  // pass them where a quiet one would fail them, and the grade does not depend on the load.
  const oneAfterAnother = multi.every(
    (run) => run.evidence.workers.length >= 2 && apartProblem(run) !== null,
  );
  const multiAtLeast = (run: TimedRun) =>
    Math.max(wallAtLeast(run.evidence, k), oneAfterAnother ? workersWallAtLeast(run.evidence) : 0);
  const wallSingle = median(single.map((run) => wallAtMost(run.evidence)));
  const wallMulti = median(multi.map(multiAtLeast));
  const speedup = wallSingle / wallMulti;
  const busy = formatMs(Math.round(median(multi.map((run) => disturbanceMs(run.evidence, k)))));
  const message =
    `could not measure undisturbed: other processes used about ${busy} of CPU during each run with ${k} threads, ` +
    `in ${plural(single.length + multi.length, 'run')}. From the CPU time the system counted for your threads instead, ` +
    `countPrimes(${limit}, 1) would take at most ${formatMs(Math.round(wallSingle))} on a quiet machine and countPrimes(${limit}, ${k}) at least ${formatMs(Math.round(wallMulti))}` +
    `${oneAfterAnother ? ' (its workers ran one after another, so no sooner than their CPU time together)' : ''}: at most ${speedupText(speedup)}`;
  return speedup >= needed
    ? pass(`${message}; not failed for a busy machine`)
    : fail(
        `${message}, below the ${speedupText(needed)} needed. ${slowHint(
          medianRun(multi, (run) => run.evidence.wallMs),
          k,
        )}`,
      );
}

function slowHint(run: TimedRun, k: number): string {
  const workers = run.evidence.workers.length;
  if (workers === 0) return `No worker thread ran: the work was not spread over ${k}.`;
  if (workers < k) return `Only ${plural(workers, 'worker thread')} ran: the work was not spread over ${k}.`;
  return 'Start every worker before waiting for any of them, and give each an equal share of the work.';
}

/** The workers of a run all running at once (50% of the shortest-lived one's time, at least). */
const MIN_TOGETHER_SHARE = 0.5;

export function judgeParallel(runs: readonly TimedRun[], threads: number): Verdict {
  const multi = resolved(runs, threads);
  if (multi.length === 0) return fail(`no timed run with ${threads} threads finished`);
  const problems = multi.map((run) => apartProblem(run));
  // Workers started together overlap in every run; one after another never do. Fail only then.
  if (problems.every((problem) => problem !== null))
    return fail(`with ${threads} threads ${problems[0]} (in all ${plural(multi.length, 'run')})`);
  return pass();
}

/** Why the run's workers did not run at the same time, or null when they did. */
function apartProblem(run: TimedRun): string | null {
  const workers = run.evidence.workers;
  if (workers.length < 2)
    return `only ${plural(workers.length, 'worker thread')} ran, so nothing ran in parallel`;
  const ended = (w: (typeof workers)[number]) => w.endedAtMs ?? run.evidence.wallMs;
  const lastStarted = workers.reduce((a, b) => (b.startedAtMs > a.startedAtMs ? b : a));
  const firstEnded = workers.reduce((a, b) => (ended(b) < ended(a) ? b : a));
  const together = ended(firstEnded) - lastStarted.startedAtMs;
  const shortest = Math.min(...workers.map((w) => ended(w) - w.startedAtMs));
  if (together >= MIN_TOGETHER_SHARE * shortest) return null;
  return (
    `the worker threads ran one after another: thread ${lastStarted.threadId} started at ${formatMs(Math.round(lastStarted.startedAtMs))}, ` +
    `when thread ${firstEnded.threadId} had ${together <= 0 ? 'already ended' : 'all but ended'} (at ${formatMs(Math.round(ended(firstEnded)))}); ` +
    'start every worker before waiting for any of them'
  );
}

function busiestToMean(run: TimedRun): number {
  const cpu = run.evidence.workers.map((worker) => worker.cpuMs);
  const mean = cpu.reduce((sum, value) => sum + value, 0) / cpu.length;
  return mean <= 0 ? 1 : Math.max(...cpu) / mean;
}

export function judgeBalance(
  runs: readonly TimedRun[],
  threads: number,
  dedicatedCores: number,
  timing: TimingSettings,
): Verdict {
  const multi = resolved(runs, threads);
  if (multi.length === 0) return fail(`no timed run with ${threads} threads finished`);
  const unshared = multi.find((run) => run.evidence.workers.length < 2);
  if (unshared)
    return fail(
      `the work was not shared: countPrimes(${formatCount(timing.limit)}, ${threads}) ran ${plural(unshared.evidence.workers.length, 'worker thread')}`,
    );
  const allowed = `at most ${speedupText(timing.maxBusiestToMean)} allowed`;
  const calm = multi.filter((run) => !isDisturbed(run.evidence, dedicatedCores, timing.disturbedShare));
  if (calm.length > 0) {
    const shown = medianRun(calm, busiestToMean);
    const cpu = shown.evidence.workers.map((worker) => worker.cpuMs);
    const mean = cpu.reduce((sum, value) => sum + value, 0) / cpu.length;
    const ratio = busiestToMean(shown);
    const message =
      `the busiest of ${threads} worker threads used ${formatMs(Math.round(Math.max(...cpu)))} of CPU, ` +
      `${speedupText(ratio)} the mean of ${formatMs(Math.round(mean))} (${describeWorkerCpu(shown)}; the median of ${plural(calm.length, 'run')}); ${allowed}`;
    return ratio <= timing.maxBusiestToMean ? pass(message) : fail(`${message}. ${imbalanceHint(shown)}`);
  }
  // Every run disturbed: per-thread estimates are stretched, the process's CPU time is not.
  const shown = medianRun(multi, (run) => busiestToMeanAtLeast(run.evidence));
  const ratio = busiestToMeanAtLeast(shown.evidence);
  const busy = `could not measure undisturbed (other processes were busy during all ${plural(multi.length, 'run')})`;
  const counted = `your process used ${formatMs(Math.round(shown.evidence.host.processCpuMs))} of CPU; ${describeWorkerCpu(shown)}, stretched by waiting for a core`;
  if (ratio <= timing.maxBusiestToMean)
    return pass(
      `${busy}; the CPU time the system counted (${counted}) does not show a thread doing more than ${speedupText(timing.maxBusiestToMean)} the mean; not failed for a busy machine`,
    );
  return fail(
    `${busy}; from the CPU time the system counted (${counted}), the busiest of ${threads} worker threads used at least ${speedupText(ratio)} the mean; ${allowed}. ${imbalanceHint(shown)}`,
  );
}

function imbalanceHint(run: TimedRun): string {
  const workers = run.evidence.workers;
  const busiest = Math.max(...workers.map((worker) => worker.cpuMs));
  const idle = workers.filter((worker) => worker.cpuMs < 0.1 * busiest);
  if (idle.length > 0)
    return `Thread${idle.length > 1 ? 's' : ''} ${idle.map((worker) => worker.threadId).join(', ')} did next to nothing: check the range each worker is given`;
  return 'Numbers near the limit cost more to test than small ones (about √n divisions for a prime n), and even numbers cost nothing: deal the numbers out in blocks, round-robin, or make the ranges cost the same';
}
