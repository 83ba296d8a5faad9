import { seededRandom } from '../lib/testing/seeded-random';
import { decodeItem, describeItem, drawItemKey, encodeItem, inverseKey } from './item-code';

describe('item codes', () => {
  it.each(['1', '2', 'lockstep-3', 'x'])(
    'decode every item back to its producer and position (seed %s)',
    (seed) => {
      const key = drawItemKey(seededRandom(seed, 'key'));
      const inverse = inverseKey(key);
      expect(Math.imul(key, inverse)).toBe(1);
      const producers = 3;
      const items = new Set<number>();
      for (let seq = 0; seq < 2000; seq++) {
        for (let producer = 0; producer < producers; producer++) {
          const item = encodeItem({ producer, seq }, producers, key);
          expect(item | 0).toBe(item);
          expect(decodeItem(item, producers, inverse)).toEqual({ producer, seq });
          items.add(item);
        }
      }
      expect(items.size).toBe(6000);
      // Items are any int32: 0 is producer 1's first, and about half are negative.
      expect(encodeItem({ producer: 0, seq: 0 }, producers, key)).toBe(0);
      const negatives = [...items].filter((item) => item < 0).length;
      expect(negatives).toBeGreaterThan(2000);
      expect(negatives).toBeLessThan(4000);
    },
  );

  it('says whose item it is, counting from 1', () => {
    expect(describeItem(-5, { producer: 1, seq: 6 })).toBe("item -5 (producer 2's item #7)");
    expect(describeItem(42, null)).toBe('item 42');
  });
});
