import { createHash } from 'node:crypto';

/**
 * A seeded PRNG per named stream: xoshiro128** keyed by sha256(seed, stream), so a grader that adds
 * a stream (a new test case) does not shift the numbers any other stream draws.
 */
export function seededRandom(seed: string, stream: string): () => number {
  const digest = createHash('sha256').update(seed).update('\0').update(stream).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is the one xoshiro cannot leave
  return () => {
    const result = Math.imul(rotateLeft(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotateLeft(d, 11);
    return result / 2 ** 32;
  };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** The seed used when the caller gives none: derived from the code, so regrading the same file gives the same report. */
export function defaultSeedFor(code: string): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 16);
}
