import type { CpuBoundService } from '../grader-api';
import { randomToken, type Random } from '../lib/latency-plan';

/** One list to digest, and the digest the grader expects for each item. */
export interface DigestCase {
  items: string[];
  digests: string[];
  costMs: number;
}

/** FNV-1a of the item and a per-case salt, as 8 hex digits: cheap, and not guessable without calling digest. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

export function buildDigestCase(random: Random, count: number, costMs: number): DigestCase {
  const salt = randomToken(random);
  const items = Array.from({ length: count }, (_, i) => `item-${i}-${randomToken(random)}`);
  return { items, digests: items.map((item) => fnv1a(`${salt}:${item}`)), costMs };
}

/**
 * The grader's `digest`: a CPU-bound service. Each call costs `costMs` of virtual time, as real
 * CPU work would keep the event loop busy, so what the checks count never depends on how fast the
 * grading host is. Anything but one of the case's items digests as a clear "not an item" string.
 */
export function digestService(digestCase: DigestCase): CpuBoundService {
  const byItem = new Map(digestCase.items.map((item, i) => [item, digestCase.digests[i]]));
  return ({ args }) => ({
    value:
      typeof args[0] === 'string'
        ? (byItem.get(args[0]) ?? `not an item: ${args[0]}`)
        : `not an item: ${String(args[0])}`,
    costMs: digestCase.costMs,
  });
}
