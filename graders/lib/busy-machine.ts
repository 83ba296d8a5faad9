import type { ThreadRunEvidence } from '../grader-api';

/**
 * A run that could have shown a race, showed none, and ran while other processes took more than
 * this share of the machine is run again, at most MAX_BUSY_REPEATS times: its threads mostly took
 * turns, so the race had little chance to show. A repeat can only add a failure it observed.
 */
export const BUSY_MACHINE_SHARE = 0.2;
export const MAX_BUSY_REPEATS = 2;

/** /proc/stat counts in 10 ms ticks: two ticks of other work mean nothing. */
const TICK_SLACK_MS = 20;

/**
 * The share of the whole machine's CPU time (all cores, over the run) that other processes took;
 * 0 when the host could not tell. Threads on a busy machine take turns on the cores more often than
 * they run at the same instant, so a race shows less: a reason to run again, never to fail.
 */
export function othersShare(evidence: ThreadRunEvidence): number {
  const host = evidence.host;
  if (!host || host.spanMs <= 0 || host.cores <= 0) return 0;
  const others = Math.max(0, host.systemBusyMs - host.processCpuMs - TICK_SLACK_MS);
  return others / (host.cores * host.spanMs);
}

/** Whether a run that showed no race should be run again (see BUSY_MACHINE_SHARE). */
export function busyEnoughToRepeat(evidence: ThreadRunEvidence): boolean {
  return evidence.status === 'completed' && othersShare(evidence) > BUSY_MACHINE_SHARE;
}
