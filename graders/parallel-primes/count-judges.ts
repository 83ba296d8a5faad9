import type { MainRunEvidence } from '../grader-api';
import { fail, pass, type Verdict } from '../lib/check-tally';
import { describeValue, formatCount, formatMs, plural } from '../lib/format';
import type { CountCase } from './count-cases';
import type { PrimeTable } from './prime-table';

/** Each judge reads only host-recorded evidence and the grader's own prime table. */

export function describeCall({ limit, threads }: CountCase): string {
  return `countPrimes(${formatCount(limit)}, ${threads})`;
}

/** Why a run gave no number to judge, or null when it resolved. */
export function unsettledProblem(countCase: CountCase, evidence: MainRunEvidence): string | null {
  const { result } = evidence;
  if (result.kind === 'timeout')
    return `${describeCall(countCase)} had not settled after ${formatMs(Math.round(evidence.wallMs))} and was stopped${stillRunning(evidence)}`;
  if (result.kind === 'rejected') {
    const where = result.location ? ` (line ${result.location.line})` : '';
    return `${describeCall(countCase)} rejected with "${result.message}"${where}`;
  }
  return null;
}

/** What the workers left running were doing when a call was stopped: busy, or asleep in Atomics.wait. */
function stillRunning(evidence: MainRunEvidence): string {
  const running = evidence.workers.filter((worker) => worker.end === 'running');
  if (running.length === 0) return '';
  const doing = running.map((worker) =>
    worker.blockedMs > worker.cpuMs
      ? `worker thread ${worker.threadId} asleep in Atomics.wait (${formatMs(Math.round(worker.blockedMs))} of it)`
      : `worker thread ${worker.threadId} busy (${formatMs(Math.round(worker.cpuMs))} of CPU)`,
  );
  return `; still running: ${doing.join(', ')}`;
}

/** The exact number of primes 2 <= p < limit. */
export function judgeCount(countCase: CountCase, evidence: MainRunEvidence, table: PrimeTable): Verdict {
  const problem = unsettledProblem(countCase, evidence);
  if (problem) return fail(problem);
  const value = (evidence.result as { value: unknown }).value;
  const expected = table.countBelow(countCase.limit);
  if (value === expected) return pass();
  const call = describeCall(countCase);
  if (typeof value !== 'number') return fail(`${call} resolved with ${describeValue(value)}, not a number`);
  const off = value - expected;
  const how = off > 0 ? `${plural(off, 'prime')} too many` : `${plural(-off, 'prime')} too few`;
  const why = countCase.why ? `; ${countCase.why}` : '';
  return fail(
    `${call} returned ${formatCount(value)}, but there ${expected === 1 ? 'is' : 'are'} ${plural(expected, 'prime')} below ${formatCount(countCase.limit)} (${how})${why}`,
  );
}

/** The work is spread over exactly `threads` worker threads. */
export function judgeWorkersStarted(countCase: CountCase, evidence: MainRunEvidence): Verdict {
  const started = evidence.workers.length;
  if (started === countCase.threads) return pass();
  if (started === 0)
    return fail(
      `${describeCall(countCase)} started no worker thread: the count ran on the main thread; start ${countCase.threads} with new Worker(__filename, { workerData })`,
    );
  return fail(
    `${describeCall(countCase)} started ${plural(started, 'worker thread')}; it must spread the work over ${countCase.threads}`,
  );
}
