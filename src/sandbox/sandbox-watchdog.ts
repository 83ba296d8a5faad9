import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { monotonicMs } from './monotonic-clock';
import type { SandboxMemoryCeiling } from './sandbox-memory-ceiling';

/** What the watchdog thread is started with. */
export interface WatchdogData {
  /** The pool's process: when this process's parent pid is no longer it, the parent is gone. */
  parentPid: number;
  pollMs: number;
  /** One BigInt64 slot: the monotonic time (ms) by which the running job must be done; 0: no job. */
  deadline: SharedArrayBuffer;
  /** The job's memory ceiling and what the main thread notes for it (MemoryCeilingCells). */
  memoryCeiling: SharedArrayBuffer;
  memoryPollMs: number;
}

/** How often the watchdog looks: a parent's death or a missed deadline is acted on within this. */
export const WATCHDOG_POLL_MS = 500;
/**
 * How often the watchdog reads the process's memory while a job runs. A heap bomb grew about
 * 100-250 MB/s on the test host, so it is stopped within some tens of MB of the ceiling.
 */
export const MEMORY_POLL_MS = 100;
/**
 * A job may run this long past the wall limit its parent sent before the process kills itself: the
 * parent kills at the limit and reports a timeout; this is the fallback when the parent cannot.
 */
export const SELF_KILL_MARGIN_MS = 1000;

/** Ends this process at once, whatever its threads do; says why on stderr (the parent keeps its tail). */
export function killOwnProcess(reason: string): void {
  try {
    writeSync(2, `lockstep sandbox process ${process.pid}: ${reason}; killing it\n`);
  } catch {
    // EPIPE: the parent is gone and nobody reads stderr.
  }
  process.kill(process.pid, 'SIGKILL');
}

/**
 * The sandbox process's side of its watchdog thread (sandbox-watchdog-thread.ts): arms a deadline
 * for each job, and hands the thread the job's memory ceiling. The thread also kills the process as
 * soon as its parent is gone.
 */
export class SandboxWatchdog {
  private readonly deadline = new BigInt64Array(new SharedArrayBuffer(8));
  private readonly thread: Worker;

  constructor(
    parentPid: number,
    private readonly memoryCeiling: SandboxMemoryCeiling,
    pollMs = WATCHDOG_POLL_MS,
  ) {
    const data: WatchdogData = {
      parentPid,
      pollMs,
      deadline: this.deadline.buffer as SharedArrayBuffer,
      memoryCeiling: memoryCeiling.cells.buffer,
      memoryPollMs: MEMORY_POLL_MS,
    };
    this.thread = new Worker(join(__dirname, 'sandbox-watchdog-thread.js'), {
      workerData: data,
      // The thread runs no student code and allocates next to nothing: a small heap keeps it cheap.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
      stdout: false,
      stderr: false,
    });
    // It must never keep the process alive. A process that lost its watchdog must not grade on.
    this.thread.unref();
    this.thread.on('error', (error) => killOwnProcess(`its watchdog thread failed: ${error.message}`));
    this.thread.on('exit', (code) => killOwnProcess(`its watchdog thread exited (code ${code})`));
  }

  /** The running job must be answered within `wallLimitMs` (plus a margin) and stay under its memory ceiling. */
  arm(wallLimitMs: number): void {
    Atomics.store(this.deadline, 0, BigInt(monotonicMs() + wallLimitMs + SELF_KILL_MARGIN_MS));
    this.memoryCeiling.jobStarted();
  }

  disarm(): void {
    Atomics.store(this.deadline, 0, 0n);
    this.memoryCeiling.jobEnded();
  }
}
