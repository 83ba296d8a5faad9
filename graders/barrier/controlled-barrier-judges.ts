import type { ControlledRunEvidence } from '../grader-api';
import { fail, pass, type Verdict } from '../lib/check-tally';
import { plural } from '../lib/format';
import {
  describeRun,
  describeSleepers,
  describeTrace,
  describeWaitsFor,
  lastChange,
} from '../lib/schedule-trace';
import { isLostWakeup } from '../lib/stopped-threads';
import type { OddResult } from './barrier-memory';
import { whereabouts } from './barrier-whereabouts';
import type { ControlledBarrierLedger, ControlledThreadLedger } from './controlled-barrier-memory';
import { BARRIER_WORDING, cellName, roundSteps, stepsUntilReturn } from './controlled-barrier-trace';

/**
 * Pure judges of one controlled barrier run, from the host's evidence and the grader's ledger read
 * back. An early leave, a round with no true or two, a wait() that returned no boolean: each is a
 * fact the ledger recorded when it happened, whatever the run's end. A deadlock is proven by the
 * scheduler; a run stopped at the step limit or by real time proves nothing about finishing, and
 * is not judged on that. A check missing from the result was not judged by this run.
 */
export type BarrierCheck = 'waits-for-all' | 'one-true-per-round' | 'reusable' | 'finishes-in-time';
export type BarrierVerdicts = Partial<Record<BarrierCheck, Verdict>>;

export interface ControlledShape {
  parties: number;
  rounds: number;
}

export function controlledLabel(shape: ControlledShape): string {
  return `with ${shape.parties} parties, ${plural(shape.rounds, 'round')} each`;
}

const threadName = (index: number) => `thread ${index + 1}`;

/** "thread 2 and thread 3". */
function names(indexes: number[]): string {
  const all = indexes.map(threadName);
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}

interface Judging {
  run: ControlledRunEvidence;
  shape: ControlledShape;
  ledger: ControlledBarrierLedger;
  /** "on controlled run 3 of 100 (random, schedule 0badc0de) with 2 parties, 4 rounds each". */
  where: string;
  /** A thread threw: its message; the others may be stuck waiting for it, which proves nothing more. */
  threw: string | null;
}

export function judgeControlledBarrier(
  run: ControlledRunEvidence,
  shape: ControlledShape,
  ledger: ControlledBarrierLedger,
): BarrierVerdicts {
  const where = `on ${describeRun(run)} ${controlledLabel(shape)}`;
  const judging: Judging = { run, shape, ledger, where, threw: describeThrow(run, ledger, where) };
  const verdicts: BarrierVerdicts = {
    'waits-for-all': judgeWaitsForAll(judging),
    'one-true-per-round': judgeOneTrue(judging),
    reusable: judgeReusable(judging),
    'finishes-in-time': judgeFinishes(judging),
  };
  for (const check of Object.keys(verdicts) as BarrierCheck[])
    if (verdicts[check] === undefined) delete verdicts[check];
  return verdicts;
}

function describeThrow(run: ControlledRunEvidence, ledger: ControlledBarrierLedger, where: string) {
  for (const thread of run.threads) {
    if (thread.end.kind !== 'threw') continue;
    const line = thread.end.location ? ` (line ${thread.end.location.line})` : '';
    const row = ledger.threads[thread.index];
    return `${threadName(thread.index)} threw ${thread.end.message}${line} ${row ? whereabouts(row) : ''} ${where}`;
  }
  return null;
}

/** The earliest round, among those `accepts`, that some thread left before every party had called wait(). */
function firstEarly(ledger: ControlledBarrierLedger, accepts: (round: number) => boolean) {
  let found: { thread: number; early: NonNullable<ControlledThreadLedger['early']> } | null = null;
  for (const [thread, row] of ledger.threads.entries())
    if (row.early && accepts(row.early.round) && (found === null || row.early.round < found.early.round))
      found = { thread, early: row.early };
  return found;
}

function leftEarly(judging: Judging, thread: number, early: NonNullable<ControlledThreadLedger['early']>) {
  const { parties } = judging.shape;
  const missing = `${names(early.missing)} had not`;
  const steps = stepsUntilReturn(judging.run.trace, thread, early.round);
  const shown = steps
    ? `Steps up to its return: ${describeTrace(steps, 14, BARRIER_WORDING)}`
    : `Last steps of the run: ${describeTrace(judging.run.trace, 12, BARRIER_WORDING)}`;
  return {
    what: `${threadName(thread)} left wait() in round ${early.round + 1} when only ${early.arrived} of ${parties} parties had called it (${missing}) ${judging.where}`,
    shown,
  };
}

function judgeWaitsForAll(judging: Judging): Verdict | undefined {
  const found = firstEarly(judging.ledger, (round) => round === 0);
  if (found) {
    const { what, shown } = leftEarly(judging, found.thread, found.early);
    return fail(`${what}. ${shown}`);
  }
  if (judging.threw) return fail(judging.threw);
  return judging.ledger.threads.some((row) => row.rounds > 0) ? pass() : undefined;
}

function judgeReusable(judging: Judging): Verdict | undefined {
  const found = firstEarly(judging.ledger, (round) => round > 0);
  if (found) {
    const { what, shown } = leftEarly(judging, found.thread, found.early);
    return fail(`${what}: a barrier must work again in every round, without a reset. ${shown}`);
  }
  const rounds = judging.ledger.threads.map((row) => row.rounds);
  const most = Math.max(...rounds);
  if (judging.run.status === 'deadlock' && !judging.threw && judging.shape.rounds > 1 && most > 0)
    return fail(
      `the barrier got stuck after ${threadName(rounds.indexOf(most))} had got through ${plural(most, 'round')}: ${describeDeadlock(judging)}`,
    );
  return Math.min(...rounds) > 1 ? pass() : undefined;
}

const ODD_WORDS: Record<OddResult, string> = {
  undefined: 'undefined',
  null: 'null',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  other: 'something else',
};

function judgeOneTrue(judging: Judging): Verdict | undefined {
  const { ledger, where } = judging;
  const odd = ledger.threads.findIndex((row) => row.odd !== null);
  if (odd >= 0) {
    const { round, kind } = ledger.threads[odd].odd!;
    return fail(
      `${threadName(odd)}'s wait() returned ${ODD_WORDS[kind]} in round ${round + 1} ${where}: it must return true or false`,
    );
  }
  const wrong = ledger.truesPerRound.findIndex((trues) => trues !== 1);
  if (wrong >= 0) {
    const trues = ledger.truesPerRound[wrong];
    const got = trues === 0 ? 'in no thread' : `in ${trues} threads`;
    const steps = roundSteps(judging.run.trace, wrong);
    const shown = steps
      ? `Steps of round ${wrong + 1}: ${describeTrace(steps, 14, BARRIER_WORDING)}`
      : `Last steps of the run: ${describeTrace(judging.run.trace, 12, BARRIER_WORDING)}`;
    return fail(
      `in round ${wrong + 1} of ${judging.shape.rounds}, wait() returned true ${got} instead of exactly one ${where}. ${shown}`,
    );
  }
  return ledger.truesPerRound.length > 0 ? pass() : undefined;
}

function judgeFinishes(judging: Judging): Verdict | undefined {
  if (judging.threw) return undefined;
  if (judging.run.status === 'deadlock') return fail(describeDeadlock(judging));
  return judging.run.status === 'completed' ? pass() : undefined;
}

/** Who sleeps where, in which round, which of them missed a wake-up, who waits for whom; then the last steps. */
function describeDeadlock({ run, ledger, where }: Judging): string {
  const wording = {
    ...BARRIER_WORDING,
    thread: (index: number) => `${threadName(index)} (${whereabouts(ledger.threads[index])})`,
  };
  const missed = run.threads.flatMap((thread) =>
    thread.waitingOn !== null && isLostWakeup(thread.waitingOn)
      ? [{ ...thread, site: thread.waitingOn }]
      : [],
  );
  const lost =
    missed.length === 0
      ? ''
      : missed.length === 1
        ? ` Nobody woke ${threadName(missed[0].index)} after ${cellName(missed[0].site.buffer, missed[0].site.index)} changed: a lost wake-up.`
        : ` Nobody woke ${names(missed.map((thread) => thread.index))} after the cells they sleep on changed: lost wake-ups.`;
  // Who set the cell each sleeper waits on, when the trace still holds that step.
  const setterKnown = run.threads.some(
    (thread) => thread.waitingOn && lastChange(run.trace, thread.waitingOn.buffer, thread.waitingOn.index),
  );
  const waitsFor = setterKnown ? `Who waits for whom: ${describeWaitsFor(run, BARRIER_WORDING)}. ` : '';
  return (
    `deadlock ${where}: no thread could move: ${describeSleepers(run, wording)}.${lost} ` +
    `${waitsFor}Last steps: ${describeTrace(run.trace, 10, BARRIER_WORDING)}`
  );
}
