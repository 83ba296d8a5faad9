import { randomInt, type Random } from '../lib/latency-plan';

/** What every thread of a barrier run gets (plain data, copied into each thread). */
export interface BarrierThreadPlan {
  /** null: the Barrier is built without an index (the default, 0). */
  index: number | null;
  /** The last thread arrives this long after the others in the first round (0: no latecomer). */
  latecomerMs: number;
  /** In the other rounds each thread pauses with this chance before wait(), for a whole number of ms in the range. */
  pauseChance: number;
  pauseMs: { minMs: number; maxMs: number };
  /** Threads stop starting rounds once this much time has passed (all after the same round). */
  maxMs: number;
  /** One PRNG seed per thread (uint32): the same pauses on every regrading with the same seed. */
  seeds: number[];
}

export interface BarrierPlan extends BarrierThreadPlan {
  /** How messages name the run: "with 3 parties". */
  label: string;
  parties: number;
  rounds: number;
  wallTimeMs: number;
}

export function drawSeeds(random: Random, threads: number): number[] {
  return Array.from({ length: threads }, () => randomInt(random, 0, 0xffffffff));
}
