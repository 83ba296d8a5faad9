import type { MainRunEvidence, WorkerReport } from '../../grader-api';

/**
 * MainRunEvidence made up for the judges' unit tests: what the host would report for a run of
 * `wallMs` whose workers used `cpuMs` each, on a host of `cores` where other processes used
 * `foreignMs` of CPU meanwhile.
 */
export interface FakeRun {
  value?: unknown;
  wallMs: number;
  /** One entry per worker thread, started at `startedAtMs` (default 2 ms) and running `cpuMs`. */
  workers: { cpuMs: number; startedAtMs?: number; endedAtMs?: number }[];
  foreignMs?: number;
  cores?: number;
  /** What the OS counted for the sandbox process; default the workers' CPU + 5 ms (an undisturbed run). */
  processCpuMs?: number;
  mainCpuMs?: number;
}

export function fakeEvidence(run: FakeRun): MainRunEvidence {
  const workers: WorkerReport[] = run.workers.map((worker, index) => {
    const startedAtMs = worker.startedAtMs ?? 2;
    return {
      threadId: index + 1,
      startedAtMs,
      endedAtMs: worker.endedAtMs ?? startedAtMs + worker.cpuMs + 1,
      end: 'exited',
      cpuMs: worker.cpuMs,
      blockedMs: 0,
    };
  });
  const processCpuMs = run.processCpuMs ?? workers.reduce((sum, worker) => sum + worker.cpuMs, 0) + 5;
  return {
    result: { kind: 'resolved', value: run.value ?? 0 },
    wallMs: run.wallMs,
    mainCpuMs: run.mainCpuMs ?? 3,
    workers,
    host: { processCpuMs, systemBusyMs: processCpuMs + (run.foreignMs ?? 5), cores: run.cores ?? 2 },
    console: [],
  };
}
