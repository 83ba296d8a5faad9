import { Worker } from 'node:worker_threads';
import type { ThreadCode } from '../../grader-api';

/** How one worker ended: the thread code returned, threw, or was still running (or blocked) when stopped. */
export type WorkerEnd = { kind: 'returned' } | { kind: 'threw'; message: string } | { kind: 'stopped' };

/**
 * Runs grader thread code in real worker threads, sent as source text as the sandbox sends it, so
 * a spec proves the code needs nothing from its module's scope. `exportsSource` is JavaScript that
 * defines `submission`, the stand-in for the student's exports. Workers still running after
 * `stopAfterMs` (a deadlock the spec arranged, say) are terminated and reported as stopped.
 */
export async function runThreadCodeInWorkers(
  code: ThreadCode,
  exportsSource: string,
  shared: Record<string, unknown>,
  threads: number,
  stopAfterMs = 10_000,
): Promise<WorkerEnd[]> {
  const source = `
    const { workerData, parentPort } = require('node:worker_threads');
    const body = (${code.toString()})({ controlled: false, scheduled: (view) => view, point: () => undefined });
    ${exportsSource}
    body(submission, workerData.shared, workerData.thread);
    parentPort.postMessage('returned');`;
  const workers = Array.from(
    { length: threads },
    (_, index) =>
      new Worker(source, {
        eval: true,
        workerData: { shared, thread: { index, threadId: index + 1, count: threads } },
      }),
  );
  const ends = workers.map(
    (worker) =>
      new Promise<WorkerEnd>((resolve) => {
        let end: WorkerEnd = { kind: 'stopped' };
        worker.on('message', () => (end = { kind: 'returned' }));
        worker.on(
          'error',
          (error: Error) => (end = { kind: 'threw', message: `${error.name}: ${error.message}` }),
        );
        worker.on('exit', () => resolve(end));
      }),
  );
  const timer = setTimeout(() => workers.forEach((worker) => void worker.terminate()), stopAfterMs);
  try {
    return await Promise.all(ends);
  } finally {
    clearTimeout(timer);
  }
}
