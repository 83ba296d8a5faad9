import type { MainRunEvidence } from '../grader-api';

/**
 * One timed call of countPrimes and how much the rest of the machine disturbed it. The host
 * reports its own CPU time (the sandbox process) and the whole machine's busy time (all cores);
 * the difference is what other processes used meanwhile.
 */
export interface TimedRun {
  threads: number;
  evidence: MainRunEvidence;
}

/** Floor of what counts as disturbed: /proc/stat counts in 10 ms ticks. */
const TICK_SLACK_MS = 20;

/** The cores a grading with `dedicatedCores` may count as its own on this host (at least one). */
export function ownCores(evidence: MainRunEvidence, dedicatedCores: number): number {
  return Math.min(Math.max(dedicatedCores, 1), Math.max(evidence.host.cores, 1));
}

/**
 * CPU time other processes used during the run beyond the cores that are not ours: at least
 * this much of it fell on our cores and took time from the submission's threads.
 */
export function disturbanceMs(evidence: MainRunEvidence, dedicatedCores: number): number {
  const { host, wallMs } = evidence;
  const others = Math.max(0, host.systemBusyMs - host.processCpuMs);
  return Math.max(0, others - (host.cores - ownCores(evidence, dedicatedCores)) * wallMs);
}

/** Visibly disturbed: other processes took more than `share` of our cores' time during the run. */
export function isDisturbed(evidence: MainRunEvidence, dedicatedCores: number, share: number): boolean {
  const allowed = Math.max(TICK_SLACK_MS, share * ownCores(evidence, dedicatedCores) * evidence.wallMs);
  return disturbanceMs(evidence, dedicatedCores) > allowed;
}

export function resolved(runs: readonly TimedRun[], threads: number): TimedRun[] {
  return runs.filter((run) => run.threads === threads && run.evidence.result.kind === 'resolved');
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The run whose value is the median (the lower middle one for an even count). */
export function medianRun<T>(items: readonly T[], value: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => value(a) - value(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

// Bounds for runs on a busy machine. Other processes stretch wall times and the per-thread CPU
// estimates (time spent waiting for a core counts as the thread's), but not the CPU time the OS
// counts for the sandbox process: from it, what each thread must at least have used.

/** CPU the sandbox process spends outside every isolate (its event loop, starting isolates, V8's compiler and GC threads). */
const OUTSIDE_ISOLATES_SHARE = 0.15;
const OUTSIDE_ISOLATES_FLOOR_MS = 30;
/** Time a CPU-bound run spends neither computing nor starting threads (message hops). */
const IDLE_SLACK_MS = 50;

function outsideIsolatesMs(evidence: MainRunEvidence): number {
  return Math.max(OUTSIDE_ISOLATES_FLOOR_MS, OUTSIDE_ISOLATES_SHARE * evidence.host.processCpuMs);
}

/** The least CPU time thread `threadId` (0: the main thread) can have used: the process's, minus all the others can have used. */
export function threadCpuAtLeast(evidence: MainRunEvidence, threadId: number): number {
  const others =
    evidence.workers
      .filter((worker) => worker.threadId !== threadId)
      .reduce((sum, worker) => sum + worker.cpuMs, 0) + (threadId === 0 ? 0 : evidence.mainCpuMs);
  return Math.max(0, evidence.host.processCpuMs - outsideIsolatesMs(evidence) - others);
}

/** The shortest the run can have been undisturbed: no thread runs faster than its own CPU time, nor the process faster than its CPU spread over every core. */
export function wallAtLeast(evidence: MainRunEvidence, dedicatedCores: number): number {
  const threads = [0, ...evidence.workers.map((worker) => worker.threadId)];
  return Math.max(
    evidence.wallMs - disturbanceMs(evidence, dedicatedCores),
    (evidence.host.processCpuMs - outsideIsolatesMs(evidence)) / Math.max(1, evidence.host.cores),
    ...threads.map((threadId) => threadCpuAtLeast(evidence, threadId)),
  );
}

/**
 * How long two or more of the run's workers were alive at once, counted once per extra worker: the
 * sum of their lifetimes minus the time any of them was alive. Workers started one after another
 * overlap only while the one before shuts down; workers started together overlap nearly all along.
 */
export function workersOverlapMs(evidence: MainRunEvidence): number {
  const spans = evidence.workers
    .map((worker) => ({ from: worker.startedAtMs, to: worker.endedAtMs ?? evidence.wallMs }))
    .sort((a, b) => a.from - b.from);
  let union = 0;
  let reach = -Infinity;
  for (const { from, to } of spans) {
    union += Math.max(0, to - Math.max(from, reach));
    reach = Math.max(reach, to);
  }
  return spans.reduce((sum, { from, to }) => sum + Math.max(0, to - from), 0) - union;
}

/**
 * The least CPU time the workers together can have used: the process's, minus what it spends
 * outside isolates and the main thread's estimate (which a busy machine can only inflate).
 */
export function workersCpuAtLeast(evidence: MainRunEvidence): number {
  return Math.max(0, evidence.host.processCpuMs - outsideIsolatesMs(evidence) - evidence.mainCpuMs);
}

/**
 * The shortest the run can have been, from its workers alone: their CPU time together, less what
 * running at the same time can have saved (each extra worker alive at once saves at most that time).
 */
export function workersWallAtLeast(evidence: MainRunEvidence): number {
  return Math.max(0, workersCpuAtLeast(evidence) - workersOverlapMs(evidence));
}

/** The longest a CPU-bound run can have taken undisturbed: its process's CPU time and a little idle time. */
export function wallAtMost(evidence: MainRunEvidence): number {
  return Math.min(evidence.wallMs, evidence.host.processCpuMs + IDLE_SLACK_MS);
}

/** The least the busiest worker's CPU time can be, as a multiple of the workers' mean (which is at most the process's CPU over the workers). */
export function busiestToMeanAtLeast(evidence: MainRunEvidence): number {
  const { workers, host } = evidence;
  if (workers.length === 0 || host.processCpuMs <= 0) return 1;
  const busiest = Math.max(...workers.map((worker) => threadCpuAtLeast(evidence, worker.threadId)));
  return busiest / (host.processCpuMs / workers.length);
}
