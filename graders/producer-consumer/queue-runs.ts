import { drawItemKey } from './item-code';
import type { FlowSpec, ProducerConsumerSettings } from './producer-consumer-settings';
import { PLAN_LAYOUT, describeShape, type QueueRunKind, type QueueRunPlan } from './queue-run-plan';

/** A run to start: its plan, the label messages use, and the real time it may take. */
export interface PlannedRun {
  plan: QueueRunPlan;
  label: string;
  wallTimeMs: number;
}

export interface RunShape {
  producers: number;
  consumers: number;
  capacity: number;
}

interface RunSpec extends RunShape {
  kind: QueueRunKind;
  maxItems: number;
  runMs: number;
  slowConsumerMs: number;
}

type Random = () => number;

/** Next() calls allowed past maxItems before next() throws: each producer may be one call late. */
const NEXT_SLACK = 64;

function buildPlan(
  spec: RunSpec,
  settings: ProducerConsumerSettings,
  random: Random,
  queueBytes: (capacity: number) => number,
  graceMs: number,
): QueueRunPlan {
  const { timing } = settings;
  const putQuota = spec.capacity + 2;
  const nextLimit =
    spec.kind === 'producers-wait-on-full'
      ? spec.producers * putQuota
      : spec.maxItems + spec.producers + NEXT_SLACK;
  return {
    kind: spec.kind,
    producers: spec.producers,
    consumers: spec.consumers,
    capacity: spec.capacity,
    maxItems: spec.kind === 'producers-wait-on-full' ? 0 : spec.maxItems,
    nextLimit,
    putQuota,
    runMs: spec.runMs,
    holdMs: timing.holdMs,
    slowConsumerMs: spec.slowConsumerMs,
    graceMs,
    settleMs: timing.settleMs,
    spinCpuShare: timing.spinCpuShare,
    minSpinCpuMs: timing.minSpinCpuMs,
    itemKey: drawItemKey(random),
    logCapacity: nextLimit,
    queueBytes: queueBytes(spec.capacity),
    ...PLAN_LAYOUT,
  };
}

/**
 * The longest a run can take when the coordinator waits out every allowance (hold, run, producers
 * after stop, the last items, consumers after close), plus a second for starting and stopping
 * threads. A hang is caught by the coordinator's allowances and the deadlock watchdog well before.
 */
function wallTimeMs(plan: QueueRunPlan): number {
  return 2 * plan.holdMs + plan.runMs + 3 * plan.graceMs + plan.settleMs + 1000;
}

const KIND_NAMES: Record<QueueRunKind, string> = {
  flow: '',
  'consumers-wait-on-empty': 'consumers wait on an empty queue; ',
  'producers-wait-on-full': 'producers wait on a full queue, then close(); ',
  'drain-after-close': 'close() with every item still queued; ',
};

function describeRun(spec: RunSpec): string {
  const slow = spec.slowConsumerMs > 0 ? `, consumer 1 slow (${spec.slowConsumerMs} ms per item)` : '';
  return `${KIND_NAMES[spec.kind]}${describeShape(spec)}${slow}`;
}

function visibleSpecs(settings: ProducerConsumerSettings): RunSpec[] {
  const flow = (spec: FlowSpec): RunSpec => ({ kind: 'flow', ...spec });
  const { consumersWaitOnEmpty, producersWaitOnFull, drainAfterClose, timing } = settings;
  return [
    ...settings.flows.map(flow),
    { kind: 'consumers-wait-on-empty', ...consumersWaitOnEmpty, runMs: timing.holdMs, slowConsumerMs: 0 },
    { kind: 'producers-wait-on-full', ...producersWaitOnFull, maxItems: 0, runMs: 0, slowConsumerMs: 0 },
    { kind: 'drain-after-close', ...drainAfterClose, runMs: timing.holdMs, slowConsumerMs: 0 },
  ];
}

/** The hidden run's shape, drawn before anything runs (its capacity must be probed with the others). */
export function drawHiddenShape(settings: ProducerConsumerSettings, random: Random): RunShape {
  const draw = (range: { min: number; max: number }) =>
    range.min + Math.floor(random() * (range.max - range.min + 1));
  const { hidden } = settings;
  return {
    producers: draw(hidden.producers),
    consumers: draw(hidden.consumers),
    capacity: draw(hidden.capacity),
  };
}

/** The capacities of the visible runs, real and controlled (the hidden run's is probed inside its check). */
export function visibleCapacities(settings: ProducerConsumerSettings): number[] {
  const controlled = settings.controlled.flows.map((flow) => flow.capacity);
  return [...new Set([...visibleSpecs(settings).map((spec) => spec.capacity), ...controlled])].sort(
    (a, b) => a - b,
  );
}

/**
 * The visible real-thread runs. `shutdownFailed`: the controlled runs have already failed
 * shutdown-in-time, so the runs give threads the shorter shutdownFailedGraceMs after their signal
 * instead of waiting out the full grace in every run. No other check depends on the grace: a
 * thread still stuck at the end leaves the other checks to what it did before.
 */
export function planVisibleRuns(
  settings: ProducerConsumerSettings,
  random: (stream: string) => Random,
  queueBytes: (capacity: number) => number,
  shutdownFailed = false,
): PlannedRun[] {
  const specs = visibleSpecs(settings);
  const { graceMs, shutdownFailedGraceMs } = settings.timing;
  const grace = shutdownFailed ? Math.min(graceMs, shutdownFailedGraceMs) : graceMs;
  return specs.map((spec, index) => {
    const plan = buildPlan(spec, settings, random(`run-${index}`), queueBytes, grace);
    return {
      plan,
      label: `run ${index + 1} of ${specs.length} (${describeRun(spec)})`,
      wallTimeMs: wallTimeMs(plan),
    };
  });
}
