import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPLORATION_WALL_MS } from './controlled-counting';
import { parseRaceFreeCounterSettings } from './race-free-counter-settings';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '../../exercises/race-free-counter/exercise.json'), 'utf8'),
) as { settings: Record<string, unknown>; limits: { timeoutMs: number } };

describe('race-free-counter settings', () => {
  it('reads the settings of exercise.json: 2, 4 and 8 threads, more than one real run each', () => {
    const settings = parseRaceFreeCounterSettings(manifest.settings);
    expect(settings.exclusion.threadCounts).toEqual([2, 4, 8]);
    // The controlled runs before them find a lost update exactly; the real runs look for what only hardware shows.
    expect(settings.exclusion.runsPerThreadCount).toBeGreaterThanOrEqual(2);
    expect(settings.controlled.runs).toBeGreaterThanOrEqual(100);
  });

  it('leaves the whole grading time for the worst case: every series stopped at its wall time', () => {
    const s = parseRaceFreeCounterSettings(manifest.settings);
    // A run that hits its wall time ends its thread count's series; the hold run is measured again only after
    // a completed run, which may still have taken nearly its wall time.
    const worstMs =
      s.waitersSleep.attempts * s.waitersSleep.wallTimeMs +
      s.exclusion.threadCounts.length * s.exclusion.wallTimeMs +
      s.incrementDecrement.wallTimeMs +
      s.independentIndexes.wallTimeMs +
      2 * EXPLORATION_WALL_MS; // the visible and the hidden controlled explorations
    expect(worstMs).toBeLessThan(manifest.limits.timeoutMs);
  });

  it('refuses an odd number of rounds for the increment/decrement pair', () => {
    const settings = structuredClone(manifest.settings) as { incrementDecrement: { rounds: number } };
    settings.incrementDecrement.rounds = 99_999;
    expect(() => parseRaceFreeCounterSettings(settings)).toThrow(/must be even/);
  });
});
