import { createHash } from 'node:crypto';

/**
 * A seeded PRNG per named stream: xoshiro128** keyed by sha256(seed, stream), so a grader that adds
 * a stream (a new test case) does not shift the numbers any other stream draws.
 */
export function seededRandom(seed: string, stream: string): () => number {
  let [a, b, c, d] = seedState(seed, stream);
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

/**
 * The generator's starting state for a stream. Also seeds the submission's `Math.random` inside the
 * isolate (src/sandbox/isolate/deterministic-globals.ts runs the same generator from this state).
 */
export function seedState(seed: string, stream: string): [number, number, number, number] {
  const digest = createHash('sha256').update(seed).update('\0').update(stream).digest();
  const state: [number, number, number, number] = [
    digest.readUInt32LE(0),
    digest.readUInt32LE(4),
    digest.readUInt32LE(8),
    digest.readUInt32LE(12),
  ];
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1; // the all-zero state is the one xoshiro cannot leave
  return state;
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/** The seed used when the caller gives none: derived from the code, so regrading the same file gives the same report. */
export function defaultSeedFor(code: string): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 16);
}
