import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatMs, plural } from '../lib/format';
import { describeUnfinishedRun, describeWaitSite } from '../lib/stopped-threads';
import { describeLockThread, describeLockThrow } from './lock-whereabouts';
import type { LockRun } from './lock-runs';

/**
 * Nested acquisition: thread 1 acquires the lock 1 to maxDepth times in a row and releases it as
 * often; after each such cycle thread 2 must be able to take it. Judged from the grader's ledger
 * (how deep thread 1 got, where each thread stopped) and the host's evidence.
 */
export function judgeNesting(run: LockRun): Verdict {
  if (run.plan.kind !== 'nesting') throw new Error('judgeNesting judges nesting runs');
  const { maxDepth } = run.plan;
  const thrown = describeLockThrow(run);
  if (thrown) return fail(`${thrown} ${run.label}`);
  if (run.evidence.status === 'completed')
    return pass(
      `thread 1 acquired the lock 1 to ${maxDepth} times in a row and released it as often; each time thread 2 could take it afterwards`,
    );

  const [nester, other] = run.ledger.threads;
  const [nesterThread, otherThread] = [0, 1].map((index) =>
    run.evidence.threads.find((t) => t.index === index),
  );
  const ended = `${run.evidence.status === 'deadlock' ? 'deadlock' : 'stopped'} after ${formatMs(Math.round(run.evidence.wallMs))}`;
  const how = (site: typeof nesterThread) =>
    site?.waitingOn ? `it ${describeWaitSite(site.waitingOn)}` : 'it was still running there, not asleep';
  if (nester.place === 'acquiring' && nester.depth > 0)
    return fail(
      `thread 1's acquire() did not return when it already held the lock ${plural(nester.depth, 'time')} (${ended}): ` +
        `a thread that holds the lock must get it again at once, but ${how(nesterThread)}`,
    );
  if (other.place === 'acquiring') {
    const depth = other.rounds + 1;
    return fail(
      `thread 2's acquire() did not return after thread 1 had acquired the lock ${plural(depth, 'time')} and released it ` +
        `${plural(depth, 'time')} (${ended}): the lock should have been free, but ${how(otherThread)}`,
    );
  }
  return fail(
    describeUnfinishedRun(run.evidence, run.label, (thread) => describeLockThread(run, thread)) ??
      `the run ${run.label} did not finish`,
  );
}
