/**
 * The watchdog thread of a sandbox process (node:worker_threads). It shares no thread with the
 * isolates, so it still runs while student code spins in them or the main thread is blocked in a
 * synchronous isolate call, and SIGKILLs its own process when the parent is gone or a job has run
 * past its deadline. SIGKILL, never process.exit(): exit runs isolated-vm's static destructors,
 * which join the isolate threads and so wait forever for a spinning submission.
 */
import { workerData } from 'node:worker_threads';
import { killOwnProcess, monotonicMs, type WatchdogData } from './sandbox-watchdog';

const { parentPid, pollMs, deadline } = workerData as WatchdogData;
const deadlineMs = new BigInt64Array(deadline);

function check(): void {
  // A dead parent re-parents this process (to init or a subreaper), so the parent pid changes.
  if (process.ppid !== parentPid) return killOwnProcess(`its parent ${parentPid} is gone`);
  const due = Number(Atomics.load(deadlineMs, 0));
  if (due > 0 && monotonicMs() > due) killOwnProcess('a job ran past its wall-clock limit');
}

check();
setInterval(check, pollMs);
