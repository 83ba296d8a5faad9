/**
 * Items are any int32, 0 and negatives included. Producer p's k-th item (k from 0) has the code
 * k * P + p and is handed to put() as code * key (mod 2^32), with an odd key that has the sign bit
 * set: every code gets a distinct int32, code 0 is the item 0, and half of the items are negative.
 * Multiplying by the key's inverse gives the code back, so the host can tell, for any int32 a
 * consumer got, whose item it was and where it stood in its producer's order.
 */
export interface ItemOrigin {
  /** 0-based producer. */
  producer: number;
  /** 0-based position among that producer's items. */
  seq: number;
}

/** An odd multiplier with the sign bit set, from a seeded random source. */
export function drawItemKey(random: () => number): number {
  return Math.floor(random() * 0x1_0000_0000) | 0x8000_0001 | 0;
}

export function encodeItem(origin: ItemOrigin, producers: number, key: number): number {
  return Math.imul(origin.seq * producers + origin.producer, key);
}

/** The inverse of an odd key modulo 2^32 (Newton's iteration doubles the correct low bits each step). */
export function inverseKey(key: number): number {
  if ((key & 1) === 0) throw new Error(`an item key must be odd, got ${key}`);
  let inverse = key;
  for (let step = 0; step < 5; step++) inverse = Math.imul(inverse, 2 - Math.imul(key, inverse));
  return inverse;
}

export function decodeItem(item: number, producers: number, inverse: number): ItemOrigin {
  const code = Math.imul(item, inverse) >>> 0;
  return { producer: code % producers, seq: Math.floor(code / producers) };
}

/** "item -1832940195 (producer 2's item #7)": 1-based, as a student counts. */
export function describeItem(item: number, origin: ItemOrigin | null): string {
  if (origin === null) return `item ${item}`;
  return `item ${item} (producer ${origin.producer + 1}'s item #${origin.seq + 1})`;
}
