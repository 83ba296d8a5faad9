import { seededRandom } from '../lib/testing/seeded-random';
import { boundaryCases, smallCases, SPLIT_RULES } from './count-cases';
import { parseParallelPrimesSettings } from './parallel-primes-settings';
import { PrimeTable } from './prime-table';
import { join } from 'node:path';
import { readManifest } from '../lib/testing/in-process-grading';

const settings = parseParallelPrimesSettings(
  readManifest(join(__dirname, '../../exercises/parallel-primes')).settings,
);
const table = new PrimeTable(settings.boundaries.searchTo);

describe('count cases', () => {
  it('tries every small limit with every thread count, more threads than numbers included', () => {
    const cases = smallCases(settings);
    expect(cases).toContainEqual({ limit: 0, threads: 4 });
    expect(cases).toContainEqual({ limit: 2, threads: 3 });
    expect(cases).toHaveLength(settings.smallLimits.length * settings.threads.length);
  });

  it.each(['1', '2', 'lockstep-3'])(
    'puts a prime on a split point of every usual way to divide the range, for 2 to 4 threads (seed %s)',
    (seed) => {
      const cases = boundaryCases(table, seededRandom(seed, 'boundaries'), settings);
      for (const threads of [2, 3, 4])
        for (const rule of SPLIT_RULES) {
          const covered = cases.some(
            (c) => c.threads === threads && rule.boundaries(c.limit, threads).some((b) => table.isPrime(b)),
          );
          expect({ threads, rule: rule.describe(threads), covered }).toEqual({
            threads,
            rule: rule.describe(threads),
            covered: true,
          });
        }
      for (const threads of settings.threads) {
        expect(cases.some((c) => c.threads === threads && table.isPrime(c.limit - 1))).toBe(true);
        expect(cases.some((c) => c.threads === threads && table.isPrime(c.limit))).toBe(true);
      }
      for (const c of cases) expect(c.limit).toBeLessThanOrEqual(settings.boundaries.searchTo);
    },
  );

  it('puts primes on every split point where the rule allows it', () => {
    const cases = boundaryCases(table, seededRandom('1', 'boundaries'), settings);
    const floorSplit = cases.find(
      (c) => c.threads === 4 && c.why?.startsWith('splitting into 4 ranges at floor'),
    );
    expect(SPLIT_RULES[0].boundaries(floorSplit!.limit, 4).every((b) => table.isPrime(b))).toBe(true);
    expect(floorSplit!.why).toMatch(
      /puts the primes [\d,]+, [\d,]+, [\d,]+ on the boundaries between threads/,
    );
  });

  it('gives the same cases for the same seed and others for another', () => {
    const limits = (seed: string) =>
      boundaryCases(table, seededRandom(seed, 'boundaries'), settings).map((c) => c.limit);
    expect(limits('a')).toEqual(limits('a'));
    expect(limits('a')).not.toEqual(limits('b'));
  });
});
