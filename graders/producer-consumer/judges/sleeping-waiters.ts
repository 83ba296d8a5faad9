import { fail, pass, type Verdict } from '../../lib/check-tally';
import { formatMs, plural } from '../../lib/format';
import type { QueueRunObservation } from '../queue-run-memory';
import { describeBrokenRun, nameThreads } from './run-problems';

/**
 * Threads that wait for an empty or a full queue sleep instead of spinning. Judged on the two runs
 * built for it (null on the others): consumers held on an empty queue, producers on a full one.
 * The CPU estimate (docs/threads.md) of a thread asleep in Atomics.wait is near 0, and that of a
 * spinning thread is about the whole wait even when it is preempted, so the margin is wide.
 */
export function judgeSleepingWaiters(run: QueueRunObservation): Verdict | null {
  const { plan, coordinator } = run;
  const waiting =
    plan.kind === 'consumers-wait-on-empty'
      ? { role: 'consumer' as const, threads: run.consumers, on: 'an empty queue' }
      : plan.kind === 'producers-wait-on-full'
        ? { role: 'producer' as const, threads: run.producers, on: 'a full queue' }
        : null;
  if (waiting === null) return null;
  const broken = describeBrokenRun(run);
  if (broken) return fail(broken);
  if (coordinator.holdStartMs === null || coordinator.holdEndMs === null) return null;

  const waitedMs = Math.round(coordinator.holdEndMs - coordinator.holdStartMs);
  const limitMs = Math.max(plan.minSpinCpuMs, plan.spinCpuShare * waitedMs);
  const spinning = waiting.threads.filter((thread) => thread.report.cpuMs > limitMs);
  const cpu = (ms: number) => formatMs(Math.round(ms));
  if (spinning.length > 0) {
    const usage = spinning
      .map((thread) => `${cpu(thread.report.cpuMs)} (${plural(thread.report.waits, 'Atomics.wait call')})`)
      .join(', ');
    const indexes = spinning.map((thread) => ('producer' in thread ? thread.producer : thread.consumer));
    return fail(
      `${waiting.role}s waited ${formatMs(waitedMs)} on ${waiting.on}, and ${nameThreads(waiting.role, indexes)} ` +
        `used ${usage} of CPU in this run, where they had little else to do: a waiting thread must sleep in ` +
        'Atomics.wait, not spin',
    );
  }
  const most = Math.max(0, ...waiting.threads.map((thread) => thread.report.cpuMs));
  return pass(
    `${waiting.role}s used at most ${cpu(most)} of CPU while they waited ${formatMs(waitedMs)} on ${waiting.on}`,
  );
}
