import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../lib/testing/seeded-random';
import { EXPLORATION_WALL_MS } from './controlled-flows';
import { parseProducerConsumerSettings } from './producer-consumer-settings';
import { threadCount } from './queue-run-plan';
import { PROBE_WALL_MS } from './queue-probe';
import { planVisibleRuns, visibleCapacities } from './queue-runs';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '../../exercises/producer-consumer/exercise.json'), 'utf8'),
) as { settings: unknown; limits: { timeoutMs: number } };
const settings = parseProducerConsumerSettings(manifest.settings);
const bytes = (capacity: number) => 4 * (capacity + 8);

describe('producer-consumer runs from exercise.json', () => {
  it.each(['1', '2', 'lockstep-3', '42'])(
    'fit the thread limit and the grading time limit (seed %s)',
    (seed) => {
      const runs = planVisibleRuns(settings, (stream) => seededRandom(seed, stream), bytes);
      for (const { plan } of runs) expect(threadCount(plan)).toBeLessThanOrEqual(16);
      // Even if every run waited out every allowance, the grading's own time limit would not cut one short.
      // The controlled explorations (the visible flows and the hidden one) stop at their wall time at the
      // latest; so do the two probes of byteLength() (the visible capacities, then the hidden one).
      const explorations = (settings.controlled.flows.length + 1) * EXPLORATION_WALL_MS;
      const worstMs = runs.reduce((sum, run) => sum + run.wallTimeMs, 0) + explorations + 2 * PROBE_WALL_MS;
      expect(worstMs).toBeLessThan(manifest.limits.timeoutMs);
      const probed = visibleCapacities(settings);
      for (const { plan } of runs) expect(probed).toContain(plan.capacity);
      for (const flow of settings.controlled.flows) expect(probed).toContain(flow.capacity);
    },
  );

  it('covers every kind of run the checks need, with FIFO judged on runs of one consumer', () => {
    const runs = planVisibleRuns(settings, (stream) => seededRandom('1', stream), bytes);
    const kinds = runs.map((run) => run.plan.kind);
    for (const kind of [
      'flow',
      'consumers-wait-on-empty',
      'producers-wait-on-full',
      'drain-after-close',
    ] as const)
      expect(kinds).toContain(kind);
    expect(runs.some((run) => run.plan.consumers === 1 && run.plan.producers >= 2)).toBe(true);
    expect(runs.some((run) => run.plan.slowConsumerMs > 0)).toBe(true);
    expect(runs.map((run) => run.label)).toContain(
      'run 7 of 8 (producers wait on a full queue, then close(); 3 producers, 1 consumer, capacity 4)',
    );
  });

  it('gives threads the shorter grace once the controlled runs have failed shutdown-in-time', () => {
    const plan = (shutdownFailed: boolean) =>
      planVisibleRuns(settings, (stream) => seededRandom('1', stream), bytes, shutdownFailed);
    const full = plan(false);
    const short = plan(true);
    expect(full.every((run) => run.plan.graceMs === settings.timing.graceMs)).toBe(true);
    expect(short.every((run) => run.plan.graceMs === settings.timing.shutdownFailedGraceMs)).toBe(true);
    expect(settings.timing.shutdownFailedGraceMs).toBeLessThan(settings.timing.graceMs);
    // The runs are otherwise the same: the same items, the same shapes, shorter wall times.
    expect(short.map((run) => run.plan.itemKey)).toEqual(full.map((run) => run.plan.itemKey));
    short.forEach((run, index) => expect(run.wallTimeMs).toBeLessThan(full[index].wallTimeMs));
  });

  it('refuses settings where the items of drain-after-close cannot all wait in the queue', () => {
    const raw = structuredClone(manifest.settings) as {
      drainAfterClose: { maxItems: number; capacity: number };
    };
    raw.drainAfterClose = { ...raw.drainAfterClose, capacity: 4, maxItems: 4 };
    expect(() => parseProducerConsumerSettings(raw)).toThrow(/must fit in the capacity/);
  });
});
