import { seededRandom } from '../lib/testing/seeded-random';
import { buildFetchAllCase } from './fetch-all-cases';

const range = { minMs: 50, maxMs: 500 };

describe('fetch-all cases', () => {
  it.each(Array.from({ length: 200 }, (_, seed) => String(seed)))(
    'has a failure that settles while url 0 is still pending, on every seed (seed %s)',
    (seed) => {
      const fetchCase = buildFetchAllCase(seededRandom(seed, 'case'), { urls: 4, failures: 1 }, 'a', range);
      const [first, ...rest] = fetchCase.plans;
      expect(first.outcome.ok).toBe(true);
      expect(rest.some((plan) => !plan.outcome.ok && plan.latencyMs < first.latencyMs)).toBe(true);
      for (const plan of fetchCase.plans) {
        expect(plan.latencyMs).toBeGreaterThanOrEqual(50);
        expect(plan.latencyMs).toBeLessThanOrEqual(500);
      }
    },
  );

  it('gives distinct urls, bodies and error messages, the same for the same seed', () => {
    const build = () => buildFetchAllCase(seededRandom('s', 'case'), { urls: 30, failures: 10 }, 'b', range);
    const fetchCase = build();
    expect(new Set(fetchCase.urls).size).toBe(30);
    const outcomes = fetchCase.plans.map((plan) => JSON.stringify(plan.outcome));
    expect(new Set(outcomes).size).toBe(30);
    expect(fetchCase.plans.filter((plan) => !plan.outcome.ok)).toHaveLength(10);
    expect(build()).toEqual(fetchCase);
  });
});
