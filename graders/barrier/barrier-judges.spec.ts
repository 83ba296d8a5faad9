import { asleepReport, threadReport, threwReport } from '../lib/testing/hand-made-evidence';
import {
  judgeBarrierFinished,
  judgeOneTruePerRound,
  judgeReusable,
  judgeWaitsForAll,
} from './barrier-judges';
import { judgeLatecomerSleep } from './latecomer-sleep-judge';
import { barrierRow, barrierRun, latecomerPlan, roundsPlan } from './testing/hand-made-barrier-runs';

const limits = { maxCpuShare: 0.33, maxWaits: 1000 };

describe('barrier waits-for-all judge', () => {
  it('passes a run where every thread left each round only after every party had arrived', () => {
    expect(judgeWaitsForAll(barrierRun(latecomerPlan(3)))).toEqual({ passed: true });
  });

  it('names the thread that left before the late party arrived', () => {
    const run = barrierRun(latecomerPlan(3), {
      rows: [
        barrierRow({ rounds: 1, early: { round: 0, arrived: 2 } }),
        barrierRow({ rounds: 1 }),
        barrierRow({ rounds: 1 }),
      ],
    });
    expect(judgeWaitsForAll(run)).toEqual({
      passed: false,
      message:
        'thread 1 left wait() in round 1 when only 2 of 3 parties had arrived (thread 3 arrived 150 ms after the others) with 3 parties, one of them late',
    });
  });

  it('leaves early leaves in later rounds to reusable', () => {
    const run = barrierRun(roundsPlan(2), {
      rows: [barrierRow({ early: { round: 5, arrived: 1 } }), barrierRow()],
    });
    expect(judgeWaitsForAll(run)).toEqual({ passed: true });
    expect(judgeReusable(run)).toEqual({
      passed: false,
      message:
        'thread 1 left wait() in round 6 when only 1 of 2 parties had arrived with 2 parties: a barrier must work again in every round, without a reset',
    });
  });

  it('judges nothing when no thread ever returned from wait()', () => {
    const rows = [barrierRow({ rounds: 0, place: 'waiting' }), barrierRow({ rounds: 0, place: 'waiting' })];
    const run = barrierRun(latecomerPlan(2), {
      rows,
      threads: [
        asleepReport(0, { buffer: 'state', index: 1, expected: 0, current: 0 }),
        asleepReport(1, { buffer: 'state', index: 1, expected: 0, current: 0 }),
      ],
      evidence: { status: 'deadlock', wallMs: 206 },
    });
    expect(judgeWaitsForAll(run)).toBeNull();
    expect(judgeOneTruePerRound(run)).toBeNull();
    expect(judgeReusable(run)).toBeNull();
  });
});

describe('barrier reusable judge', () => {
  it('passes hundreds of rounds', () => {
    expect(judgeReusable(barrierRun(roundsPlan(5)))).toEqual({ passed: true });
  });

  it('fails a barrier stuck once a thread got into the next round (the counter reset race)', () => {
    const run = barrierRun(roundsPlan(2), {
      rows: [barrierRow({ rounds: 1, place: 'waiting' }), barrierRow({ rounds: 0, place: 'waiting' })],
      threads: [
        asleepReport(0, { buffer: 'state', index: 0 }),
        asleepReport(1, { buffer: 'state', index: 0 }),
      ],
      evidence: { status: 'deadlock', wallMs: 102 },
    });
    expect(judgeReusable(run)).toEqual({
      passed: false,
      message:
        'thread 1 had got through 1 round when the barrier got stuck: deadlock after 102 ms with 2 parties: ' +
        'thread 1 still blocked in wait() of round 2: waits on state[0] == 1, still 1; thread 2 still blocked in wait() of round 1: waits on state[0] == 1, still 1',
    });
  });

  it('does not call a one-round run stuck in its only round a reuse failure', () => {
    const run = barrierRun(latecomerPlan(3), {
      rows: [
        barrierRow({ rounds: 0, place: 'waiting' }),
        barrierRow({ rounds: 1 }),
        barrierRow({ rounds: 1 }),
      ],
      threads: [
        asleepReport(0, { buffer: 'state', index: 1, expected: 0, current: 1 }),
        threadReport(1),
        threadReport(2),
      ],
      evidence: { status: 'deadlock', wallMs: 656 },
    });
    expect(judgeReusable(run)).toBeNull();
    expect(judgeBarrierFinished(run)).toEqual({
      passed: false,
      message:
        'deadlock after 656 ms with 3 parties, one of them late: thread 1 still blocked in wait() of round 1: waits on state[1] == 0, now 1 — nobody woke it (lost wake-up)',
    });
  });
});

describe('barrier one-true-per-round judge', () => {
  it('passes exactly one true in every round', () => {
    expect(judgeOneTruePerRound(barrierRun(roundsPlan(3)))).toEqual({ passed: true });
  });

  it('names the first round with no true or with several', () => {
    const none = barrierRun(roundsPlan(2), { truesPerRound: [1, 0, 1] });
    expect(judgeOneTruePerRound(none)?.message).toBe(
      'in round 2 of 3 with 2 parties, wait() returned true in no thread instead of exactly one',
    );
    const two = barrierRun(roundsPlan(3), { truesPerRound: [2, 1] });
    expect(judgeOneTruePerRound(two)?.message).toBe(
      'in round 1 of 2 with 3 parties, wait() returned true in 2 threads instead of exactly one',
    );
  });

  it('fails a wait() that returned something other than a boolean', () => {
    const run = barrierRun(roundsPlan(2), {
      rows: [barrierRow(), barrierRow({ odd: { round: 0, kind: 'undefined' } })],
    });
    expect(judgeOneTruePerRound(run)?.message).toBe(
      "thread 2's wait() returned undefined in round 1 with 2 parties: it must return true or false",
    );
  });
});

describe('barrier latecomer sleep judge', () => {
  it('passes early parties that slept until the late one came', () => {
    const run = barrierRun(latecomerPlan(3), {
      threads: [
        threadReport(0, { cpuMs: 0.4 }),
        threadReport(1, { cpuMs: 1.2 }),
        threadReport(2, { cpuMs: 0.1 }),
      ],
    });
    expect(judgeLatecomerSleep(run, limits)).toEqual({
      passed: true,
      message:
        'waiting threads used at most 1 ms of CPU each while thread 3 arrived 150 ms after the others with 3 parties, one of them late',
    });
  });

  it('fails an early party that spun, and leaves the late one out of it', () => {
    const run = barrierRun(latecomerPlan(2), {
      threads: [threadReport(0, { cpuMs: 148 }), threadReport(1, { cpuMs: 400 })],
    });
    expect(judgeLatecomerSleep(run, limits)?.message).toMatch(
      /^thread 1 used about 148 ms of CPU in wait\(\) while thread 2 arrived 150 ms after the others/,
    );
  });

  it('judges nothing when the parties did not wait for the late one', () => {
    const run = barrierRun(latecomerPlan(2), {
      rows: [barrierRow({ rounds: 1, early: { round: 0, arrived: 1 } }), barrierRow({ rounds: 1 })],
    });
    expect(judgeLatecomerSleep(run, limits)).toBeNull();
    expect(judgeLatecomerSleep(barrierRun(roundsPlan(2)), limits)).toBeNull();
  });
});

describe('barrier finishes-in-time judge', () => {
  it('names a throw with the round it happened in', () => {
    const run = barrierRun(roundsPlan(2), {
      rows: [barrierRow(), barrierRow({ rounds: 2, place: 'waiting' })],
      threads: [threadReport(0), threwReport(1, 'TypeError: x is not a function', 12)],
    });
    expect(judgeWaitsForAll(run)).toEqual({
      passed: false,
      message: 'thread 2 threw TypeError: x is not a function (line 12) in wait() of round 3 with 2 parties',
    });
    expect(judgeBarrierFinished(run)).toEqual({ passed: true });
  });
});
