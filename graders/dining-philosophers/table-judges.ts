import { fail, pass, type Verdict } from '../lib/check-tally';
import { plural } from '../lib/format';
import { describeUnfinishedTable } from './philosopher-whereabouts';
import type { TableRun } from './table-runs';

/**
 * Pure judges of one table: they read the grader's fork owners and ledger and the host's evidence,
 * never a value the submission returned, so they judge a run whoever scheduled its threads.
 */

function describeFork(fork: number, owner: number | null, seat: number): string {
  if (owner === seat) return `it held fork ${fork}`;
  if (owner === null) return `fork ${fork} was free`;
  return `fork ${fork} was held by philosopher ${owner}`;
}

/** The first philosopher that ate without both of its forks, in words; null if none did. */
function describeMealWithoutForks(run: TableRun): string | null {
  const seats = run.plan.seats;
  const seat = run.philosophers.findIndex((philosopher) => philosopher.firstBadMeal !== null);
  if (seat < 0) return null;
  const { meal, leftOwner, rightOwner } = run.philosophers[seat].firstBadMeal!;
  const right = (seat + 1) % seats;
  const joint = (leftOwner === seat) !== (rightOwner === seat) ? ', but' : ' and';
  return (
    `philosopher ${seat} ate meal ${meal} of ${run.plan.meals} ${run.plan.label} without holding both of its forks ` +
    `${seat} and ${right}: ${describeFork(seat, leftOwner, seat)}${joint} ${describeFork(right, rightOwner, seat)} ` +
    '(philosopher `seat` eats with forks `seat` and `(seat + 1) % seats`)'
  );
}

function describeThrow(run: TableRun): string | null {
  for (const thread of run.evidence.threads) {
    if (thread.end.kind !== 'threw') continue;
    const line = thread.end.location ? ` (line ${thread.end.location.line})` : '';
    const meals = run.philosophers[thread.index]?.meals ?? 0;
    return `philosopher ${thread.index} threw ${thread.end.message}${line} after ${plural(meals, 'meal')} of ${run.plan.meals} ${run.plan.label}`;
  }
  return null;
}

/**
 * Each philosopher eats exactly `meals` times, each time holding both of its forks. Eating without
 * the forks, eating too often or throwing fails on any run; too few meals only on a run that
 * finished (a stopped run is finishes-in-time's). null: nothing to judge on this run.
 */
export function judgeMeals(run: TableRun): Verdict | null {
  const problem = describeMealWithoutForks(run) ?? describeThrow(run);
  if (problem !== null) return fail(problem);
  const planned = run.plan.meals;
  const glutton = run.philosophers.findIndex((philosopher) => philosopher.meals > planned);
  if (glutton >= 0)
    return fail(
      `philosopher ${glutton} ate ${plural(run.philosophers[glutton].meals, 'time')} instead of ${planned} ${run.plan.label}`,
    );
  if (run.evidence.status !== 'completed') return null;
  const hungry = run.philosophers.findIndex((philosopher) => philosopher.meals < planned);
  if (hungry >= 0)
    return fail(
      `philosopher ${hungry} returned after eating ${plural(run.philosophers[hungry].meals, 'time')} instead of ${planned} ${run.plan.label}`,
    );
  return pass();
}

/**
 * Every fork is released by the philosopher who holds it, and none is left held by a philosopher
 * that returned. A fork still held by one that threw is left to the meals check, which names the throw.
 */
export function judgeForksReleased(run: TableRun): Verdict {
  const releaser = run.philosophers.findIndex((philosopher) => philosopher.firstBadRelease !== null);
  if (releaser >= 0) {
    const { fork, owner } = run.philosophers[releaser].firstBadRelease!;
    const holder = owner === null ? 'nobody held it' : `philosopher ${owner} held it`;
    return fail(
      `philosopher ${releaser} called release(${fork}) without holding fork ${fork} (${holder}) ${run.plan.label}: ` +
        'release() throws an Error then',
    );
  }
  const returned = new Set(
    run.evidence.threads.filter((thread) => thread.end.kind === 'returned').map((thread) => thread.index),
  );
  const kept = run.forkOwners.findIndex((owner) => owner !== null && returned.has(owner));
  if (kept >= 0)
    return fail(
      `fork ${kept} was still held by philosopher ${run.forkOwners[kept]} after it returned ${run.plan.label}: ` +
        'a philosopher releases every fork before it returns',
    );
  return pass();
}

/** Every philosopher of the run returned or threw: nobody waits for ever, nobody still running at the time limit. */
export function judgeTableFinished(run: TableRun): Verdict {
  const unfinished = describeUnfinishedTable(run);
  return unfinished === null ? pass() : fail(unfinished);
}
