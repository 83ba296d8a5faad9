import type { ThreadRunEvidence } from '../grader-api';

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
