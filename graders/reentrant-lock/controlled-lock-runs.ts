import type { ControlledRunEvidence, ScheduleStrategy, ThreadGraderContext } from '../grader-api';
import type { Verdict } from '../lib/check-tally';
import { plural } from '../lib/format';
import {
  allocateControlledRun,
  readControlledLedger,
  type ControlledRoundsShared,
} from './controlled-memory';
import { judgeUnheldReleases } from './controlled-release-judge';
import { judgeControlledRounds, type RoundsVerdicts } from './controlled-rounds-judge';
import { controlledRoundsThreadCode } from './in-thread/controlled-rounds-thread-code';

export interface ControlledRoundsPlan {
  threads: number;
  rounds: number;
  maxDepth: number;
  runs: number;
  wallTimeMs: number;
  /** null: the lock is built without an index (the default, 0). */
  lockIndex: number | null;
}

/** Random, then PCT of depth 2 and 3, in turn: a wrong owner check needs one ordering, a lost wake-up two or three. */
const STRATEGIES: ScheduleStrategy[] = [
  { kind: 'random' },
  { kind: 'pct', depth: 2 },
  { kind: 'pct', depth: 3 },
];

/** "3 threads, 2 rounds each nesting 1 to 3 deep", and where the lock is when it is not at the default index. */
export function roundsLabel(
  plan: Pick<ControlledRoundsPlan, 'threads' | 'rounds' | 'maxDepth'> & { lockIndex?: number | null },
): string {
  const at = plan.lockIndex == null ? '' : `, the lock at index ${plan.lockIndex}`;
  return `${plural(plan.threads, 'thread')}, ${plural(plan.rounds, 'round')} each nesting 1 to ${plan.maxDepth} deep${at}`;
}

function explore(
  ctx: ThreadGraderContext,
  plan: ControlledRoundsPlan,
  label: string,
  unheldReleases: boolean,
  judge: (run: ControlledRunEvidence, shared: ControlledRoundsShared) => boolean,
) {
  return ctx.explore({
    label,
    threads: plan.threads,
    code: controlledRoundsThreadCode,
    runs: plan.runs,
    wallTimeMs: plan.wallTimeMs,
    strategies: STRATEGIES,
    shared: (run) => ({
      ...allocateControlledRun(plan.threads, {
        lockIndex: plan.lockIndex,
        rounds: plan.rounds,
        maxDepth: plan.maxDepth,
        offset: run,
        unheldReleases,
      }),
    }),
    judge: (run, shared) => judge(run, shared as unknown as ControlledRoundsShared),
  });
}

/**
 * Nested rounds under the controlled scheduler: a thread let in while another holds the lock at
 * any level, a lost update, a holder whose acquire() or release() fails, or a proven deadlock comes
 * with its schedule and steps. The first run that shows one ends the exploration.
 */
export async function exploreNestedRounds(
  ctx: ThreadGraderContext,
  plan: ControlledRoundsPlan,
): Promise<{ verdicts: RoundsVerdicts; runs: number; updates: number }> {
  let verdicts: RoundsVerdicts = {};
  let updates = 0;
  const summary = await explore(ctx, plan, roundsLabel(plan), false, (run, shared) => {
    const ledger = readControlledLedger(shared, plan.threads);
    // Only a completed run's updates are judged (a stopped thread may be between its read and its write).
    if (run.status === 'completed') updates += ledger.threads.reduce((sum, row) => sum + row.updates, 0);
    verdicts = judgeControlledRounds(run, ledger);
    return Object.keys(verdicts).length > 0;
  });
  return { verdicts, runs: summary.runs, updates };
}

/**
 * The same rounds, where each thread also calls release() once while it holds nothing, whoever
 * holds the lock then and however deep. The first such call that returns, or that changes the
 * lock's cells, ends the exploration; so does a run that did not complete: the nested rounds have
 * judged why, and each such run would cost a new session.
 */
export async function exploreUnheldReleases(
  ctx: ThreadGraderContext,
  plan: ControlledRoundsPlan,
): Promise<{ verdict?: Verdict; runs: number; releases: number; stoppedBy?: string }> {
  let verdict: Verdict | undefined;
  let stoppedBy: string | undefined;
  let releases = 0;
  const label = `${roundsLabel(plan)}, with a release() by a thread holding nothing`;
  const summary = await explore(ctx, plan, label, true, (run, shared) => {
    const ledger = readControlledLedger(shared, plan.threads);
    releases += ledger.threads.filter((row) => row.unheldRelease !== 'not-tried').length;
    verdict = judgeUnheldReleases(run, ledger, plan.lockIndex ?? 0);
    if (run.status !== 'completed') stoppedBy = STOPPED[run.status];
    return verdict !== undefined || stoppedBy !== undefined;
  });
  return {
    ...(verdict ? { verdict } : {}),
    runs: summary.runs,
    releases,
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}

const STOPPED: Record<Exclude<ControlledRunEvidence['status'], 'completed'>, string> = {
  deadlock: 'ended in a deadlock',
  'step-limit': 'took too many steps',
  timeout: 'ran out of time',
};
