import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completionOrder, fixedBatchesTotalMs } from '../lib/greedy-schedule';
import { seededRandom } from '../lib/testing/seeded-random';
import { parseBoundedCrawlerSettings } from './bounded-crawler-settings';
import { buildCrawlCase } from './crawl-cases';

const settings = parseBoundedCrawlerSettings(
  JSON.parse(readFileSync(join(__dirname, '../../exercises/bounded-crawler/exercise.json'), 'utf8')).settings,
);
const range = { minMs: settings.latencyMs.min, maxMs: settings.latencyMs.max };
const specs = [...settings.cases, settings.hiddenCase];

describe('bounded-crawler cases from exercise.json', () => {
  it.each(Array.from({ length: 100 }, (_, seed) => String(seed)))(
    'let fixed batches and completion order show on every seed (seed %s)',
    (seed) => {
      for (const [index, spec] of specs.entries()) {
        const crawlCase = buildCrawlCase(seededRandom(seed, `case-${index}`), spec, 'a', range);
        const { latenciesMs, limit, greedy } = crawlCase;
        if (limit >= 2 && limit < latenciesMs.length)
          expect(fixedBatchesTotalMs(latenciesMs, limit)).toBeGreaterThan(greedy.totalMs);
        if (limit >= 2) expect(completionOrder(greedy.finishMs)).not.toEqual(latenciesMs.map((_, i) => i));
        expect(new Set(crawlCase.bodies).size).toBe(spec.urls);
      }
    },
  );

  it('refuses settings without limit 1, a limit covering the list, or a case fixed batches can lose', () => {
    const base = { latencyMs: { min: 50, max: 500 }, hiddenCase: { urls: 10, limit: 3 } };
    expect(() =>
      parseBoundedCrawlerSettings({
        ...base,
        cases: [
          { urls: 5, limit: 2 },
          { urls: 3, limit: 3 },
        ],
      }),
    ).toThrow(/limit 1/);
    expect(() =>
      parseBoundedCrawlerSettings({
        ...base,
        cases: [
          { urls: 5, limit: 2 },
          { urls: 3, limit: 1 },
        ],
      }),
    ).toThrow(/covering/);
    expect(() =>
      parseBoundedCrawlerSettings({
        ...base,
        cases: [
          { urls: 3, limit: 3 },
          { urls: 3, limit: 1 },
        ],
      }),
    ).toThrow(/2 <= limit/);
  });
});
