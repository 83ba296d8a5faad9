import type { Verdict } from '../lib/check-tally';
import { formatMs } from '../lib/format';
import { judgeSleepingThreads, type SleepLimits } from '../lib/sleeping-threads';
import type { BarrierRun } from './barrier-runs';

/**
 * In a run whose last party arrives `latecomerMs` after the others, the others wait in wait() that
 * long and must sleep meanwhile (CPU estimate and returns from Atomics.wait, per thread). null when
 * nobody had to wait: the run did not finish, or threads left before the latecomer arrived (both
 * are other checks' failures).
 */
export function judgeLatecomerSleep(run: BarrierRun, limits: SleepLimits): Verdict | null {
  const { parties, latecomerMs } = run.plan;
  if (latecomerMs <= 0 || run.evidence.status !== 'completed') return null;
  if (run.evidence.threads.some((thread) => thread.end.kind === 'threw')) return null;
  if (run.ledger.threads.some((row) => row.early?.round === 0)) return null;
  const waiters = run.evidence.threads.filter((thread) => thread.index < parties - 1);
  const during = `thread ${parties} arrived ${formatMs(latecomerMs)} after the others ${run.plan.label}`;
  return judgeSleepingThreads(waiters, { waitingIn: 'in wait()', during, waitedMs: latecomerMs }, limits);
}
