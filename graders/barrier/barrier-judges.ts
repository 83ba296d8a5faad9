import { fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, formatMs, plural } from '../lib/format';
import { describeUnfinishedRun } from '../lib/stopped-threads';
import type { OddResult } from './barrier-memory';
import type { BarrierRun } from './barrier-runs';
import { describeBarrierThread, describeBarrierThrow } from './barrier-whereabouts';

/**
 * Pure judges of one barrier run: they read the grader's ledger (rounds, early leaves, results)
 * and the host's evidence, never a value the submission returned to the host, so they judge a run
 * whoever scheduled its threads. Rounds are counted from 1 in messages. null: nothing to judge.
 */

interface EarlyLeave {
  thread: number;
  early: { round: number; arrived: number };
}

/** The earliest round, among those `rounds` accepts, that some thread left early. */
function firstEarly(run: BarrierRun, rounds: (round: number) => boolean): EarlyLeave | null {
  let found: EarlyLeave | null = null;
  for (const [thread, row] of run.ledger.threads.entries()) {
    if (row.early && rounds(row.early.round) && (found === null || row.early.round < found.early.round))
      found = { thread, early: row.early };
  }
  return found;
}

function leftEarly(run: BarrierRun, thread: number, early: { round: number; arrived: number }): string {
  const { parties, latecomerMs } = run.plan;
  const late =
    early.round === 0 && latecomerMs > 0
      ? ` (thread ${parties} arrived ${formatMs(latecomerMs)} after the others)`
      : '';
  const round = early.round === 0 ? 'round 1' : `round ${formatCount(early.round + 1)}`;
  return `thread ${thread + 1} left wait() in ${round} when only ${early.arrived} of ${parties} parties had arrived${late} ${run.plan.label}`;
}

/** No thread leaves the first round before every party has arrived. */
export function judgeWaitsForAll(run: BarrierRun): Verdict | null {
  const early = firstEarly(run, (round) => round === 0);
  if (early) return fail(leftEarly(run, early.thread, early.early));
  const thrown = describeBarrierThrow(run);
  if (thrown) return fail(thrown);
  return run.ledger.threads.some((row) => row.rounds > 0) ? pass() : null;
}

/**
 * Round after round without a reset: no thread leaves a later round early, and the barrier does
 * not get stuck once a thread has got through a round (a thread stuck in round 1 while another
 * waits in round 2 missed the end of round 1: the classic counter reset race).
 */
export function judgeReusable(run: BarrierRun): Verdict | null {
  const early = firstEarly(run, (round) => round > 0);
  if (early)
    return fail(
      `${leftEarly(run, early.thread, early.early)}: a barrier must work again in every round, without a reset`,
    );
  const rounds = run.ledger.threads.map((row) => row.rounds);
  const most = Math.max(...rounds);
  if (run.evidence.status !== 'completed' && run.plan.rounds > 1 && most > 0) {
    const stopped = describeUnfinishedRun(run.evidence, run.plan.label, (thread) =>
      describeBarrierThread(run, thread),
    );
    return fail(
      `thread ${rounds.indexOf(most) + 1} had got through ${plural(most, 'round')} when the barrier got stuck: ${stopped}`,
    );
  }
  return Math.min(...rounds) > 1 ? pass() : null;
}

const ODD_WORDS: Record<OddResult, string> = {
  undefined: 'undefined',
  null: 'null',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  other: 'something else',
};

/** wait() returns a boolean, true in exactly one thread per round. */
export function judgeOneTruePerRound(run: BarrierRun): Verdict | null {
  const odd = run.ledger.threads.findIndex((row) => row.odd !== null);
  if (odd >= 0) {
    const { round, kind } = run.ledger.threads[odd].odd!;
    return fail(
      `thread ${odd + 1}'s wait() returned ${ODD_WORDS[kind]} in round ${formatCount(round + 1)} ${run.plan.label}: it must return true or false`,
    );
  }
  const rounds = run.ledger.truesPerRound;
  const wrong = rounds.findIndex((trues) => trues !== 1);
  if (wrong >= 0) {
    const got = rounds[wrong] === 0 ? 'in no thread' : `in ${rounds[wrong]} threads`;
    return fail(
      `in round ${formatCount(wrong + 1)} of ${formatCount(rounds.length)} ${run.plan.label}, wait() returned true ${got} instead of exactly one`,
    );
  }
  return rounds.length > 0 ? pass() : null;
}

/** Every thread of the run returned or threw: no deadlock, none still running at the time limit. */
export function judgeBarrierFinished(run: BarrierRun): Verdict {
  const unfinished = describeUnfinishedRun(run.evidence, run.plan.label, (thread) =>
    describeBarrierThread(run, thread),
  );
  return unfinished ? fail(unfinished) : pass();
}
