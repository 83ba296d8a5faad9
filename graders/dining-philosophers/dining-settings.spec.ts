import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDiningSettings } from './dining-settings';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '../../exercises/dining-philosophers/exercise.json'), 'utf8'),
) as { settings: Record<string, unknown>; limits: { timeoutMs: number } };

describe('dining-philosophers settings', () => {
  it('reads the settings of exercise.json: tables of 2, 5 and 7 seats', () => {
    expect(parseDiningSettings(manifest.settings).tables.seats).toEqual([2, 5, 7]);
  });

  it('leaves the whole grading time for the worst case: one visible and every hidden table stopped at its wall time', () => {
    const s = parseDiningSettings(manifest.settings);
    // After a visible table stops at its wall time the rest are skipped; the hidden ones stop at the first failure.
    const deadlockedRunMs = 500;
    const visibleMs =
      s.tables.wallTimeMs + (s.tables.seats.length * s.tables.runsPerTable - 1) * deadlockedRunMs;
    expect(visibleMs + s.hidden.runs * s.hidden.wallTimeMs).toBeLessThan(manifest.limits.timeoutMs);
  });

  it('refuses a pause whose minimum is above its maximum', () => {
    const settings = structuredClone(manifest.settings) as { pauses: { eat: { minMs: number } } };
    settings.pauses.eat.minMs = 50;
    expect(() => parseDiningSettings(settings)).toThrow(/minMs > maxMs/);
  });
});
