/**
 * The schedule a correct bounded crawler produces: `limit` slots, urls started in input order,
 * each one the moment a slot is free (a slot freed at t is refilled at t). Its finish time is the
 * bound a submission must meet; fixed batches are the common slower alternative.
 */
export interface GreedySchedule {
  startMs: number[];
  finishMs: number[];
  /** For each url, the earlier url whose slot it took, or null if it took a slot never used before. */
  slotFreedBy: (number | null)[];
  /** When the last url finishes (0 for no urls). */
  totalMs: number;
}

export function greedySchedule(latenciesMs: readonly number[], limit: number): GreedySchedule {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`greedySchedule needs an integer limit >= 1, got ${limit}`);
  // Each slot: when it is free again and which url last held it.
  const slots: { freeAtMs: number; heldBy: number | null }[] = [];
  const startMs: number[] = [];
  const finishMs: number[] = [];
  const slotFreedBy: (number | null)[] = [];
  latenciesMs.forEach((latencyMs, url) => {
    let slot = slots.length < limit ? undefined : slots[0];
    if (slot === undefined) {
      slot = { freeAtMs: 0, heldBy: null };
      slots.push(slot);
    } else {
      // Earliest free slot; which of two tied slots is taken changes no start or finish time.
      for (const candidate of slots) {
        if (candidate.freeAtMs < slot.freeAtMs) slot = candidate;
      }
    }
    startMs.push(slot.freeAtMs);
    finishMs.push(slot.freeAtMs + latencyMs);
    slotFreedBy.push(slot.heldBy);
    slot.freeAtMs += latencyMs;
    slot.heldBy = url;
  });
  return { startMs, finishMs, slotFreedBy, totalMs: Math.max(0, ...finishMs) };
}

/** Finish time of the "fixed batches of `limit`" mistake: each batch waits for its slowest url. */
export function fixedBatchesTotalMs(latenciesMs: readonly number[], limit: number): number {
  let totalMs = 0;
  for (let first = 0; first < latenciesMs.length; first += limit) {
    totalMs += Math.max(...latenciesMs.slice(first, first + limit));
  }
  return totalMs;
}

/** Url indexes in the order the greedy schedule finishes them (ties in input order). */
export function completionOrder(finishMs: readonly number[]): number[] {
  return finishMs
    .map((ms, url) => ({ ms, url }))
    .sort((a, b) => a.ms - b.ms || a.url - b.url)
    .map((entry) => entry.url);
}
