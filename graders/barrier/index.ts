import type { CheckRecorder, ExerciseGrader, GraderContext } from '../grader-api';
import { CheckTally, fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, formatMs, plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { randomInt } from '../lib/latency-plan';
import {
  judgeBarrierFinished,
  judgeOneTruePerRound,
  judgeReusable,
  judgeWaitsForAll,
} from './barrier-judges';
import { MAX_BARRIER_INDEX } from './barrier-memory';
import { drawSeeds, type BarrierPlan } from './barrier-plan';
import { runBarrier, type BarrierRun } from './barrier-runs';
import { parseBarrierSettings, type BarrierSettings } from './barrier-settings';
import { exploreBarrier, sumTotals, type ControlledBarrierTotals } from './controlled-barrier-runs';
import { judgeLatecomerSleep } from './latecomer-sleep-judge';

/**
 * barrier: a reusable Barrier over INTS cells of shared memory. The grader starts one thread per
 * party; each builds its own Barrier over the same `state` and calls wait() round after round in
 * the grader's thread code (in-thread/), which counts arrivals and results in memory the barrier
 * never sees. Every verdict comes from that memory and the host's evidence.
 */
const judges: Record<string, (run: BarrierRun) => Verdict | null> = {
  'waits-for-all': judgeWaitsForAll,
  'one-true-per-round': judgeOneTruePerRound,
  reusable: judgeReusable,
  'finishes-in-time': judgeBarrierFinished,
};

class Grading {
  readonly tally: CheckTally;
  readonly runs: BarrierRun[] = [];
  readonly controlled: ControlledBarrierTotals[] = [];
  /** Runs each check judged (a null verdict is not a judgement), and the checks that failed. */
  private readonly judged = new Map<string, number>();
  readonly failed = new Set<string>();

  constructor(
    readonly ctx: GraderContext,
    readonly settings: BarrierSettings,
    checks: CheckRecorder,
  ) {
    this.tally = new CheckTally(checks);
  }

  async run(plan: BarrierPlan): Promise<BarrierRun> {
    const run = await runBarrier(this.ctx, plan);
    this.runs.push(run);
    for (const [checkId, judge] of Object.entries(judges)) this.record(checkId, judge(run));
    return run;
  }

  /** Checks a controlled run judged: deterministic, unlike what real runs happen to reach. */
  private readonly judgedControlled = new Set<string>();

  /** The tally as the controlled runs write to it. */
  readonly controlledSink = {
    record: (checkId: string, verdict: Verdict) => {
      this.judgedControlled.add(checkId);
      this.record(checkId, verdict);
    },
    failed: this.failed,
  };

  record(checkId: string, verdict: Verdict | null): void {
    if (verdict === null) return;
    this.judged.set(checkId, (this.judged.get(checkId) ?? 0) + 1);
    if (!verdict.passed) this.failed.add(checkId);
    // Each check's pass message is its summary (summarize()), not one line per run.
    this.tally.record(checkId, verdict.passed ? pass() : verdict);
  }

  /**
   * A check no run could judge fails: passing it would say something nobody saw. With `controlledOnly`,
   * only a controlled run's judgement counts here, so that whether a real run happened to complete a
   * round cannot change the grade from one grading to the next.
   */
  passIfJudged(checkId: string, message: string, unjudged: string, controlledOnly = false): void {
    const judged = controlledOnly ? this.judgedControlled.has(checkId) : this.judged.has(checkId);
    this.tally.record(checkId, judged ? pass(message) : fail(`could not be checked: ${unjudged}`));
  }
}

function seededPlan(grading: Grading, stream: string, plan: Omit<BarrierPlan, 'seeds'>): BarrierPlan {
  return { ...plan, seeds: drawSeeds(grading.ctx.random(stream), plan.parties) };
}

/**
 * First of all: short runs under the controlled scheduler, 2, 3 and 5 parties, a few rounds each. An
 * early leave, a round with no true or two, or a proven deadlock (a lost wake-up, the counter reset
 * race) comes with its schedule and steps, and is the message the student gets. The real-parallel
 * runs after them measure what only hardware shows: waiters asleep, hundreds of rounds on real cores.
 */
async function controlledRuns(grading: Grading): Promise<void> {
  const { shapes, ...limits } = grading.settings.controlled;
  const index = randomInt(grading.ctx.random('controlled-index'), 0, MAX_BARRIER_INDEX);
  for (const shape of shapes) {
    const totals = await exploreBarrier(grading.ctx, { ...shape, ...limits, index }, grading.controlledSink);
    grading.controlled.push(totals);
    // A wait() that computes for a run's real time without a step would with any number of parties.
    if (totals.timeouts > 0) break;
  }
}

/** One party arrives late in the first round: the others must wait for it, asleep. */
async function latecomerRuns(grading: Grading): Promise<void> {
  const { parties, latecomerMs, maxCpuShare, maxWaits, attempts, wallTimeMs } = grading.settings.latecomer;
  const index = randomInt(grading.ctx.random('latecomer-index'), 0, MAX_BARRIER_INDEX);
  for (const count of parties) {
    const plan = seededPlan(grading, `latecomer ${count}`, {
      label: `with ${count} parties, one of them late`,
      parties: count,
      rounds: 1,
      index,
      latecomerMs,
      pauseChance: 0,
      pauseMs: { minMs: 0, maxMs: 0 },
      maxMs: wallTimeMs,
      wallTimeMs,
    });
    let sleep: Verdict | null = null;
    // Measuring again is for a verdict still open: once a run has failed the check, one run is enough.
    const runs = grading.failed.has('waiters-sleep') ? 1 : attempts;
    for (let attempt = 1; attempt <= runs; attempt++) {
      // The CPU estimate counts time a thread was ready but had no core: on a busy host, measure again.
      sleep = judgeLatecomerSleep(await grading.run(plan), { maxCpuShare, maxWaits });
      if (sleep === null || sleep.passed) break;
      if (attempt === runs && runs > 1)
        sleep = fail(`${sleep.message} (the same on each of ${plural(runs, 'run')})`);
    }
    grading.record('waiters-sleep', sleep);
  }
}

/** Hundreds of rounds in a row with seeded pauses; a run stopped at its wall time ends the series. */
async function roundRuns(grading: Grading): Promise<void> {
  const { parties, rounds, maxMs, pauseChance, pauseMs, wallTimeMs } = grading.settings.rounds;
  const random = grading.ctx.random('rounds-index');
  for (const [series, count] of parties.entries()) {
    if (grading.runs.some((run) => run.evidence.status === 'timeout')) break;
    await grading.run(
      seededPlan(grading, `rounds ${count}`, {
        label: `with ${count} parties`,
        parties: count,
        rounds,
        index: series === 0 ? null : randomInt(random, 0, MAX_BARRIER_INDEX),
        latecomerMs: 0,
        pauseChance,
        pauseMs,
        maxMs,
        wallTimeMs,
      }),
    );
  }
}

function summarize(grading: Grading): void {
  const { latecomer, rounds } = grading.settings;
  const roundsDone = grading.runs.filter((run) => run.plan.latecomerMs === 0);
  const mostRounds = Math.max(0, ...roundsDone.map((run) => run.ledger.truesPerRound.length));
  const partiesSeen = `${rounds.parties.join(', ')} parties`;
  const made = sumTotals(grading.controlled);
  const shapesExplored = grading.settings.controlled.shapes.slice(0, grading.controlled.length);
  const explored = `${plural(made.runs, 'controlled run')} with ${shapesExplored.map((shape) => shape.parties).join(', ')} parties`;
  grading.passIfJudged(
    'waits-for-all',
    `no thread left wait() before every party had arrived, in ${explored}, and in real runs with ${partiesSeen} and a party ${formatMs(latecomer.latecomerMs)} late`,
    'no thread ever returned from wait()',
  );
  const realRounds = grading.runs.reduce((sum, run) => sum + run.ledger.truesPerRound.length, 0);
  grading.passIfJudged(
    'one-true-per-round',
    `wait() returned true in exactly one thread in each of ${plural(realRounds + made.rounds, 'round')}`,
    'no round was completed by every party in a controlled run',
    true,
  );
  grading.passIfJudged(
    'reusable',
    `the same barrier worked in every round of ${explored}, and up to ${formatCount(mostRounds)} rounds in a row on real threads with ${partiesSeen}, never reset`,
    'no run got past its first round',
  );
  const waiters = grading.runs
    .filter((run) => run.plan.latecomerMs > 0 && run.evidence.status === 'completed')
    .flatMap((run) => run.evidence.threads.filter((thread) => thread.index < run.plan.parties - 1));
  const mostCpu = Math.max(0, ...waiters.map((thread) => thread.cpuMs));
  grading.passIfJudged(
    'waiters-sleep',
    `threads waiting ${formatMs(latecomer.latecomerMs)} for a late party used at most ${formatMs(Math.round(mostCpu))} of CPU each`,
    'in no run did the other parties wait for the late one',
  );
  const longest = Math.max(0, ...grading.runs.map((run) => run.evidence.wallMs));
  const unjudged =
    made.stopped === 0
      ? ''
      : ` (${formatCount(made.stopped)} more stopped at the step limit or by real time, not judged)`;
  grading.tally.record(
    'finishes-in-time',
    pass(
      `no deadlock in ${plural(made.completed, 'controlled run')}${unjudged}; ` +
        `all ${plural(grading.runs.length, 'real run')} finished, the longest in ${formatMs(Math.round(longest))}`,
    ),
  );
  grading.tally.finish();
}

/** Hidden: more parties, more rounds, the barrier at a random index; every property above. */
async function checkLargeRandom(ctx: GraderContext, settings: BarrierSettings): Promise<Verdict> {
  const { parties, runs, rounds, maxMs, pauseChance, pauseMs, wallTimeMs } = settings.hidden;
  const random = ctx.random('large-random');
  for (let run = 1; run <= runs; run++) {
    const count = randomInt(random, parties.min, parties.max);
    const index = randomInt(random, 1, MAX_BARRIER_INDEX);
    const label = `with ${count} parties, the barrier at index ${index}, on run ${run} of ${runs}`;
    const plan = {
      label,
      parties: count,
      rounds,
      index,
      latecomerMs: 0,
      pauseChance,
      pauseMs,
      maxMs,
      wallTimeMs,
    };
    const done = await runBarrier(ctx, { ...plan, seeds: drawSeeds(random, count) });
    for (const [checkId, judge] of Object.entries(judges)) {
      const verdict = judge(done);
      if (verdict !== null && !verdict.passed) return fail(`${checkId}: ${verdict.message}`);
    }
  }
  return pass();
}

const barrierGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const grading = new Grading(ctx, parseBarrierSettings(ctx.settings), checks);
    await controlledRuns(grading);
    await latecomerRuns(grading);
    await roundRuns(grading);
    summarize(grading);

    await gradeHiddenCheck(ctx, checks, 'large-random', () => checkLargeRandom(ctx, grading.settings));
  },
};

export default barrierGrader;
