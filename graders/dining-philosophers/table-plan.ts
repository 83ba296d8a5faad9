import type { Random } from '../lib/latency-plan';
import { randomInt } from '../lib/latency-plan';

/** A pause of the grader's forks, eat() or think(): a whole number of ms drawn from [minMs, maxMs]. */
export interface PauseRange {
  minMs: number;
  maxMs: number;
}

/**
 * Where the grader perturbs timing, so a deadlock-prone solution meets its deadlock: a pause after
 * each acquire() got its fork (a longer one after the first), inside eat() and inside think().
 */
export interface TablePauses {
  firstGrab: PauseRange;
  acquire: PauseRange;
  eat: PauseRange;
  think: PauseRange;
}

/** What every philosopher's thread gets (plain data, copied into each thread). */
export interface TableThreadPlan {
  seats: number;
  meals: number;
  pauses: TablePauses;
  /** One PRNG seed per seat (uint32): the same pauses on every regrading with the same seed. */
  seeds: number[];
}

export interface TablePlan extends TableThreadPlan {
  /** How messages name the run: "with 5 seats (run 2 of 2)". */
  label: string;
  wallTimeMs: number;
}

export function drawSeeds(random: Random, seats: number): number[] {
  return Array.from({ length: seats }, () => randomInt(random, 0, 0xffffffff));
}

export function tableLabel(seats: number, run: number, runs: number): string {
  return runs === 1 ? `with ${seats} seats` : `with ${seats} seats (run ${run} of ${runs})`;
}
