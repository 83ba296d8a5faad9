/**
 * Seeded latency plans. Every number comes from a named `ctx.random(stream)` so a run is exactly
 * reproducible from the seed, and a case's draws do not shift when another case is added.
 */
export type Random = () => number;

export interface LatencyRange {
  minMs: number;
  maxMs: number;
}

/** An integer in [min, max], inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Integer latencies drawn uniformly from the range. */
export function drawLatencies(random: Random, count: number, range: LatencyRange): number[] {
  return Array.from({ length: count }, () => randomInt(random, range.minMs, range.maxMs));
}

/** `count` distinct indexes from [from, to), in increasing order. */
export function pickIndexes(random: Random, count: number, from: number, to: number): number[] {
  const pool = Array.from({ length: to - from }, (_, offset) => from + offset);
  for (let i = pool.length - 1; i > 0; i -= 1) {
    const j = randomInt(random, 0, i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}

/** A short token that makes each body or error message unique to its url and seed. */
export function randomToken(random: Random): string {
  return randomInt(random, 0, 0xffffff).toString(16).padStart(6, '0');
}

/**
 * Draws until `accept` holds, so a case can promise a property (e.g. "fixed batches are strictly
 * slower") on every seed. Deterministic: the same random stream gives the same attempts.
 */
export function drawUntil<T>(
  draw: () => T,
  accept: (candidate: T) => boolean,
  what: string,
  maxAttempts = 1000,
): T {
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const candidate = draw();
    if (accept(candidate)) return candidate;
  }
  throw new Error(`could not draw ${what} in ${maxAttempts} attempts; check the exercise settings`);
}
