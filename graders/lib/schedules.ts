import { fail, type CheckTally, type Verdict } from './check-tally';
import type { Random } from './latency-plan';

/**
 * Several schedules per case: the same case runs once per schedule seed, and each seed orders the
 * completions that tie on the virtual clock (AsyncScenario.scheduleSeed) and, where a grader wants
 * it, draws that run's latencies. Failures name the schedule, and the grading seed replays it all.
 */
export interface Schedule {
  /** 1-based. */
  number: number;
  count: number;
  /** Eight hex digits, drawn from the grading seed's stream: the same grading seed, the same schedules. */
  seed: string;
}

export function drawSchedules(random: Random, count: number): Schedule[] {
  if (!(Number.isInteger(count) && count >= 1))
    throw new Error(`a case needs at least one schedule, got ${count}`);
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    count,
    seed: Math.floor(random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  }));
}

/** "schedule 3 of 6 (seed 5f2c9a1b)". */
export function describeSchedule(schedule: Schedule): string {
  return `schedule ${schedule.number} of ${schedule.count} (seed ${schedule.seed})`;
}

/** The command that grades a file again with the same grading seed, so every schedule replays exactly. */
export function replayHint(exercise: string, gradingSeed: string): string {
  return `replay it with: npx lockstep grade --exercise ${exercise} <your file> --seed ${gradingSeed}`;
}

/**
 * Records one schedule's verdict of a case: a failure names the schedule and the replay command;
 * a pass speaks for the whole case once (its first schedule), so pass messages do not repeat.
 */
export function recordOnSchedule(
  tally: CheckTally,
  checkId: string,
  verdict: Verdict,
  where: { caseLabel: string; schedule: Schedule; replay: string },
): void {
  const { caseLabel, schedule, replay } = where;
  if (!verdict.passed)
    tally.record(
      checkId,
      fail(`${verdict.message} (${replay})`),
      `${caseLabel}, on ${describeSchedule(schedule)}`,
    );
  else if (schedule.number === 1) tally.record(checkId, verdict, caseLabel);
  else tally.record(checkId, { passed: true });
}
