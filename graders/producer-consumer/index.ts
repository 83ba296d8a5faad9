import type { CheckRecorder, ExerciseGrader, GraderContext } from '../grader-api';
import { MAX_BUSY_REPEATS } from '../lib/busy-machine';
import { CheckTally, fail, pass, type Verdict } from '../lib/check-tally';
import { formatCount, plural } from '../lib/format';
import { gradeHiddenCheck } from '../lib/hidden-check';
import { exploreFlow, flowLabel } from './controlled-flows';
import { queueRunThread } from './in-thread/queue-run-thread';
import { judgeCapacity } from './judges/capacity';
import { judgeExactlyOnce } from './judges/exactly-once';
import { judgeFifoPerProducer } from './judges/fifo-per-producer';
import { judgeShutdown } from './judges/shutdown';
import { judgeSleepingWaiters } from './judges/sleeping-waiters';
import { parseProducerConsumerSettings, type ProducerConsumerSettings } from './producer-consumer-settings';
import { bothProbes, MAX_QUEUE_BYTES, probeQueue, type QueueProbe } from './queue-probe';
import { mayHaveHiddenARace } from './busy-repeats';
import { allocateQueueRun, readQueueRun, type QueueRunObservation } from './queue-run-memory';
import { threadCount } from './queue-run-plan';
import { drawHiddenShape, planVisibleRuns, visibleCapacities, type PlannedRun } from './queue-runs';

/**
 * producer-consumer: the submission's BoundedQueue, produce and consume on real threads. Each run
 * starts P producer threads, C consumer threads and a coordinator thread that plays the grader's
 * part; what every thread saw is written to grader-owned shared memory and judged here, on the
 * host. Visible runs judge each property as its own check; the hidden `large-random` check judges
 * all of them on one bigger randomized run.
 */
const judges: Record<string, (run: QueueRunObservation) => Verdict | null> = {
  'exactly-once': judgeExactlyOnce,
  'fifo-per-producer': judgeFifoPerProducer,
  capacity: judgeCapacity,
  'shutdown-in-time': judgeShutdown,
  'sleep-not-spin': judgeSleepingWaiters,
};
const HIDDEN_CHECK = 'large-random';

async function runQueue(ctx: GraderContext, run: PlannedRun): Promise<QueueRunObservation> {
  const memory = allocateQueueRun(run.plan);
  const evidence = await ctx.runThreads({
    label: run.label,
    threads: threadCount(run.plan),
    code: queueRunThread,
    shared: memory.shared,
    wallTimeMs: run.wallTimeMs,
  });
  return readQueueRun(run.plan, run.label, memory, evidence);
}

/** Every check's verdict on one run; a repeat adds only what it saw go wrong. */
function recordVerdicts(
  tally: CheckTally,
  observation: QueueRunObservation,
  label: string,
  which: 'all' | 'failures',
): void {
  for (const [checkId, judge] of Object.entries(judges)) {
    const verdict = judge(observation);
    if (verdict !== null && (which === 'all' || !verdict.passed)) tally.record(checkId, verdict, label);
  }
}

function failEverything(checks: CheckRecorder, message: string): void {
  for (const checkId of [...Object.keys(judges), HIDDEN_CHECK]) checks.fail(checkId, message);
}

/**
 * First: short flows under the controlled scheduler. An item lost or doubled, out of order, or a
 * shutdown that deadlocks comes with its schedule and steps; the real-thread runs after it look for
 * what only real hardware shows and measure sleeping.
 */
async function exploreFlows(
  ctx: GraderContext,
  tally: CheckTally,
  controlled: ProducerConsumerSettings['controlled'],
  queueBytes: (capacity: number) => number,
): Promise<void> {
  for (const flow of controlled.flows) {
    const plan = { ...flow, runs: controlled.runs, queueBytes: queueBytes(flow.capacity) };
    const { verdicts, runs } = await exploreFlow(ctx, plan);
    for (const [checkId, verdict] of Object.entries(verdicts)) tally.record(checkId, verdict);
    const checked = `${plural(runs, 'controlled run')} with ${flowLabel(plan)}`;
    tally.record('exactly-once', pass(`${checked}: every item once`));
    if (flow.consumers === 1) tally.record('fifo-per-producer', pass(`${checked}: in order`));
    tally.record('shutdown-in-time', pass(`${checked}: no deadlock`));
  }
}

/**
 * The queue's size for the capacity of the hidden run is asked for inside the hidden check, so that
 * nothing byteLength() prints or throws for it shows; a problem there still fails every check, as
 * one for a visible capacity does, but the visible checks' message does not name the capacity.
 */
async function probeHiddenCapacity(
  ctx: GraderContext,
  checks: CheckRecorder,
  capacity: number,
): Promise<QueueProbe> {
  const probe = await ctx.hiddenCheck(HIDDEN_CHECK, () => probeQueue(ctx, [capacity]));
  if (probe.kind === 'problem') {
    for (const checkId of Object.keys(judges))
      checks.fail(
        checkId,
        `BoundedQueue.byteLength() gave no usable size for the capacity the hidden check uses, so no ` +
          `run could be made: it must return a whole number of bytes from 1 to ` +
          `${formatCount(MAX_QUEUE_BYTES)} for every capacity (what it did is in the hidden check's ` +
          `message, shown to staff only)`,
      );
    checks.fail(HIDDEN_CHECK, probe.message);
  }
  return probe;
}

const producerConsumerGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = parseProducerConsumerSettings(ctx.settings);
    const hiddenShape = drawHiddenShape(settings, ctx.random('hidden-shape'));
    const visibleProbe = await probeQueue(ctx, visibleCapacities(settings));
    if (visibleProbe.kind === 'problem') return failEverything(checks, visibleProbe.message);
    const hiddenProbe = await probeHiddenCapacity(ctx, checks, hiddenShape.capacity);
    if (hiddenProbe.kind === 'problem') return;
    const probe = bothProbes(visibleProbe, hiddenProbe, hiddenShape.capacity);

    const tally = new CheckTally(checks);
    await exploreFlows(ctx, tally, settings.controlled, probe.queueBytes);
    const shutdownFailed = tally.hasFailed('shutdown-in-time');
    const random = (stream: string) => ctx.random(stream);
    for (const run of planVisibleRuns(settings, random, probe.queueBytes, shutdownFailed)) {
      let observation = await runQueue(ctx, run);
      recordVerdicts(tally, observation, run.label, 'all');
      for (let repeat = 1; repeat <= MAX_BUSY_REPEATS && mayHaveHiddenARace(observation); repeat++) {
        observation = await runQueue(ctx, run);
        const label = `${run.label}, run again on a busy machine (${repeat} of ${MAX_BUSY_REPEATS})`;
        recordVerdicts(tally, observation, label, 'failures');
      }
    }
    tally.finish();

    await gradeHiddenCheck(ctx, checks, HIDDEN_CHECK, async () => {
      const plan = { ...hiddenShape, items: settings.hidden.items, runs: settings.hidden.runs };
      const { verdicts } = await exploreFlow(ctx, { ...plan, queueBytes: probe.queueBytes(plan.capacity) });
      const problem = Object.entries(verdicts).find(([, verdict]) => !verdict.passed);
      return problem ? fail(`${problem[0]}: ${problem[1].message}`) : pass();
    });
  },
};

export default producerConsumerGrader;
