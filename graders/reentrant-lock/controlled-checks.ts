import type { GraderContext, ThreadGraderContext } from '../grader-api';
import { fail, pass, type CheckTally, type Verdict } from '../lib/check-tally';
import { plural } from '../lib/format';
import { randomInt } from '../lib/latency-plan';
import { exploreNestedRounds, exploreUnheldReleases, roundsLabel } from './controlled-lock-runs';
import { MAX_LOCK_INDEX } from './lock-memory';
import type { ReentrantLockSettings } from './reentrant-lock-settings';

/**
 * First of all: short runs under the controlled scheduler find, exactly and with the schedule that
 * replays it, a thread let in while another holds the lock at any level, a holder that cannot take
 * the lock again or loses count, a release() by a thread holding nothing that returns or changes
 * the lock, and a proven deadlock. The real-parallel runs after them measure sleeping and look for
 * what only real hardware shows. The nested rounds build the lock without an index (the default);
 * the release() calls go to a lock at `releaseIndex`.
 */
export async function checkControlled(
  ctx: ThreadGraderContext,
  tally: CheckTally,
  settings: ReentrantLockSettings['controlled'],
  releaseIndex: number,
): Promise<void> {
  const { nestedRounds, unheldReleases } = settings;
  const rounds = await exploreNestedRounds(ctx, { ...nestedRounds, lockIndex: null });
  for (const [check, verdict] of Object.entries(rounds.verdicts)) tally.record(check, verdict);
  const explored = `${plural(rounds.runs, 'controlled run')} of ${roundsLabel(nestedRounds)}`;
  const counted =
    rounds.updates > 0 ? `; none of ${plural(rounds.updates, 'update')} lost in the runs that completed` : '';
  tally.record(
    'exclusion',
    pass(`${explored}: no acquire() let a thread in while another held the lock${counted}`),
  );
  tally.record(
    'nested-acquisition',
    pass(`${explored}: every holder took the lock again at once and kept count`),
  );

  const releases = await exploreUnheldReleases(ctx, { ...unheldReleases, lockIndex: releaseIndex });
  const stopped = releases.stoppedBy
    ? ` (exploring stopped after run ${releases.runs}: it ${releases.stoppedBy})`
    : '';
  tally.record(
    'release-not-held',
    releases.verdict ??
      pass(
        `${plural(releases.releases, 'release() call')} by threads holding nothing, in ${plural(releases.runs, 'controlled run')}, threw and changed nothing${stopped}`,
      ),
  );
}

/**
 * Hidden, first: controlled runs with as many threads as the real ones, nesting as deep, and the
 * lock at a random index. The first counterexample is the verdict; undefined when none showed.
 */
export async function exploreLargeRandom(
  ctx: GraderContext,
  settings: ReentrantLockSettings['largeRandom'],
): Promise<Verdict | undefined> {
  const random = ctx.random('large-random-controlled');
  const plan = {
    ...settings.controlled,
    threads: randomInt(random, settings.threads.min, settings.threads.max),
    maxDepth: settings.maxDepth,
    lockIndex: randomInt(random, 1, MAX_LOCK_INDEX),
  };
  const { verdicts } = await exploreNestedRounds(ctx, plan);
  const found = Object.values(verdicts)[0];
  return found && fail(`with ${roundsLabel(plan)}: ${found.message}`);
}
