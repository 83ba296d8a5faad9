/** Largest delay Node accepts; larger or invalid delays become 1 ms, exactly as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;

export function nodeTimerDelay(delay: unknown): number {
  const ms = Number(delay);
  if (!(ms >= 1 && ms <= TIMEOUT_MAX)) return 1;
  return Math.trunc(ms);
}
