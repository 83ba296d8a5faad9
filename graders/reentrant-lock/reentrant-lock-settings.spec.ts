import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReentrantLockSettings } from './reentrant-lock-settings';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '../../exercises/reentrant-lock/exercise.json'), 'utf8'),
) as { settings: Record<string, unknown>; limits: { timeoutMs: number } };

describe('reentrant-lock settings', () => {
  it('reads the settings of exercise.json: controlled runs of 3 threads nesting up to 3 deep, real runs of 2 and 5', () => {
    const settings = parseReentrantLockSettings(manifest.settings);
    expect(settings.controlled.nestedRounds).toMatchObject({ threads: 3, maxDepth: 3 });
    expect(settings.controlled.unheldReleases).toMatchObject({ threads: 3, maxDepth: 3 });
    expect(settings.exclusion.threadCounts).toEqual([2, 5]);
    expect(settings.nesting.maxDepth).toBe(5);
  });

  it('leaves the whole grading time for the worst case: every series stopped at its wall time', () => {
    const s = parseReentrantLockSettings(manifest.settings);
    // After a counting run stopped at its wall time the rest are skipped; the hold run is measured
    // again only after a completed run, which may still have taken nearly its wall time.
    const worstMs =
      s.controlled.nestedRounds.wallTimeMs +
      s.controlled.unheldReleases.wallTimeMs +
      s.largeRandom.controlled.wallTimeMs +
      s.waitersSleep.attempts * s.waitersSleep.wallTimeMs +
      s.nesting.wallTimeMs +
      s.exclusion.wallTimeMs +
      s.releaseNotHeld.wallTimeMs +
      s.independentLocks.wallTimeMs +
      s.largeRandom.runs * s.largeRandom.wallTimeMs;
    expect(worstMs).toBeLessThan(manifest.limits.timeoutMs);
  });

  it('refuses controlled rounds that never nest: a holder must take the lock again', () => {
    const settings = structuredClone(manifest.settings) as {
      controlled: { nestedRounds: { maxDepth: number } };
    };
    settings.controlled.nestedRounds.maxDepth = 1;
    expect(() => parseReentrantLockSettings(settings)).toThrow(
      /"nestedRounds",\s+"maxDepth"[^]*expected number to be >=2/,
    );
  });

  it('refuses a hold that leaves no room in its wall time', () => {
    const settings = structuredClone(manifest.settings) as { waitersSleep: { holdMs: number } };
    settings.waitersSleep.holdMs = 1600;
    expect(() => parseReentrantLockSettings(settings)).toThrow(/must leave room for the hold/);
  });
});
