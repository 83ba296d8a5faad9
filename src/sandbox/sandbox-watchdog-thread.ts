/**
 * The watchdog thread of a sandbox process (node:worker_threads). It shares no thread with the
 * isolates, so it still runs while student code spins in them or the main thread is blocked in a
 * synchronous isolate call, and SIGKILLs its own process when the parent is gone, a job has run
 * past its deadline or the process holds more memory than its job may (sandbox-memory-ceiling.ts).
 * SIGKILL, never process.exit(): exit runs isolated-vm's static destructors, which join the isolate
 * threads and so wait forever for a spinning submission.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { workerData } from 'node:worker_threads';
import { monotonicMs } from './monotonic-clock';
import { MemoryCeilingCells, memoryCeilingReason, pastCeiling } from './sandbox-memory-ceiling';
import { killOwnProcess, type WatchdogData } from './sandbox-watchdog';
import { hostWaitAsync } from './threads/host-wait-async';

const { parentPid, pollMs, deadline, memoryCeiling, memoryPollMs } = workerData as WatchdogData;
const deadlineMs = new BigInt64Array(deadline);
const ceiling = new MemoryCeilingCells(memoryCeiling);

function check(): void {
  // A dead parent re-parents this process (to init or a subreaper), so the parent pid changes.
  if (process.ppid !== parentPid) return killOwnProcess(`its parent ${parentPid} is gone`);
  const due = Number(Atomics.load(deadlineMs, 0));
  if (due > 0 && monotonicMs() > due) killOwnProcess('a job ran past its wall-clock limit');
}

/** Reads the process's RSS only while a job runs; between jobs it sleeps until one is armed. */
async function watchMemory(): Promise<never> {
  for (;;) {
    await hostWaitAsync(ceiling.values, 0, 0, Infinity).value;
    while (Atomics.load(ceiling.values, 0) > 0) {
      const past = pastCeiling(ceiling, Math.ceil(process.memoryUsage.rss() / (1024 * 1024)), monotonicMs());
      if (past) killOwnProcess(memoryCeilingReason(past.outsideMb, past.ceilingMb));
      await sleep(memoryPollMs);
    }
  }
}

check();
setInterval(check, pollMs);
void watchMemory();
