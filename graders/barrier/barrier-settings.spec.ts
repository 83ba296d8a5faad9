import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBarrierSettings } from './barrier-settings';

const manifest = JSON.parse(
  readFileSync(join(__dirname, '../../exercises/barrier/exercise.json'), 'utf8'),
) as {
  settings: Record<string, unknown>;
  limits: { timeoutMs: number };
};

describe('barrier settings', () => {
  it('reads the settings of exercise.json: 2, 3 and 5 parties, hundreds of rounds', () => {
    const settings = parseBarrierSettings(manifest.settings);
    expect(settings.rounds.parties).toEqual([2, 3, 5]);
    expect(settings.latecomer.parties).toEqual([2, 3, 5]);
    expect(settings.rounds.rounds).toBeGreaterThanOrEqual(200);
    expect(settings.controlled.shapes.map((shape) => shape.parties)).toEqual([2, 3, 5]);
  });

  it('leaves the whole grading time for the worst case: every run stopped at its wall time', () => {
    const s = parseBarrierSettings(manifest.settings);
    // The latecomer runs are measured again only after a completed run; a rounds run stopped at its
    // wall time ends the series, and the hidden runs stop at the first failure. Each controlled shape
    // stops exploring at its wall time.
    const worstMs =
      s.controlled.shapes.length * s.controlled.wallTimeMs +
      s.latecomer.parties.length * s.latecomer.attempts * s.latecomer.wallTimeMs +
      s.rounds.parties.length * s.rounds.wallTimeMs +
      s.hidden.runs * s.hidden.wallTimeMs;
    expect(worstMs).toBeLessThan(manifest.limits.timeoutMs);
  });

  it('refuses a controlled shape of one round: reuse needs a second', () => {
    const settings = structuredClone(manifest.settings) as { controlled: { shapes: { rounds: number }[] } };
    settings.controlled.shapes[0].rounds = 1;
    expect(() => parseBarrierSettings(settings)).toThrow(
      /"too_small"[\s\S]*"controlled",\s*"shapes",\s*0,\s*"rounds"/,
    );
  });

  it('refuses a late arrival that leaves no room in its wall time', () => {
    const settings = structuredClone(manifest.settings) as { latecomer: { latecomerMs: number } };
    settings.latecomer.latecomerMs = 1600;
    expect(() => parseBarrierSettings(settings)).toThrow(/must leave room for the late arrival/);
  });
});
