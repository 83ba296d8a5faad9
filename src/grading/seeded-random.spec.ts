import { defaultSeedFor, seededRandom } from './seeded-random';

const draw = (random: () => number, count = 5) => Array.from({ length: count }, () => random());

describe('seededRandom', () => {
  it('gives the same numbers for the same seed and stream', () => {
    expect(draw(seededRandom('seed-1', 'case-0'))).toEqual(draw(seededRandom('seed-1', 'case-0')));
  });

  it('gives independent numbers per stream and per seed', () => {
    const base = draw(seededRandom('seed-1', 'case-0'));
    expect(draw(seededRandom('seed-1', 'case-1'))).not.toEqual(base);
    expect(draw(seededRandom('seed-2', 'case-0'))).not.toEqual(base);
  });

  it('draws numbers in [0, 1) spread over the range', () => {
    const values = draw(seededRandom('spread', 's'), 10_000);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('derives the default seed from the code', () => {
    expect(defaultSeedFor('export const a = 1;')).toBe(defaultSeedFor('export const a = 1;'));
    expect(defaultSeedFor('export const a = 1;')).toMatch(/^[0-9a-f]{16}$/);
    expect(defaultSeedFor('export const a = 2;')).not.toBe(defaultSeedFor('export const a = 1;'));
  });
});
