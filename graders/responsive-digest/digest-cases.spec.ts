import { seededRandom } from '../../src/grading/seeded-random';
import { buildDigestCase, digestService } from './digest-cases';

describe('digest cases', () => {
  it('draws distinct items and one fixed digest per item, the same for the same stream', () => {
    const digestCase = buildDigestCase(seededRandom('s', 'case-0'), 20, 4);
    expect(buildDigestCase(seededRandom('s', 'case-0'), 20, 4)).toEqual(digestCase);
    expect(new Set(digestCase.items).size).toBe(20);
    expect(digestCase.digests.every((digest) => /^[0-9a-f]{8}$/.test(digest))).toBe(true);
    expect(buildDigestCase(seededRandom('other', 'case-0'), 20, 4).digests).not.toEqual(digestCase.digests);
  });

  it("is the grader's digest: the item's digest at a fixed virtual cost, and a plain answer for anything else", () => {
    const digestCase = buildDigestCase(seededRandom('s', 'case-1'), 3, 4);
    const digest = digestService(digestCase);
    expect(digest({ args: [digestCase.items[2]], index: 0, nowMs: 0 })).toEqual({
      value: digestCase.digests[2],
      costMs: 4,
    });
    expect(digest({ args: [7], index: 1, nowMs: 4 })).toEqual({ value: 'not an item: 7', costMs: 4 });
  });
});
