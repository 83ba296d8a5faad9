import { formatCount, listSome } from '../lib/format';
import type { ParallelPrimesSettings } from './parallel-primes-settings';
import type { PrimeTable } from './prime-table';

/** One call `countPrimes(limit, threads)` and, when it was chosen for a reason, the reason. */
export interface CountCase {
  limit: number;
  threads: number;
  /** Said when the count is wrong, e.g. "splitting into 3 equal ranges puts the prime 41,161 on a boundary". */
  why?: string;
}

/** A usual way to divide [0, limit) among the threads: the interior split points it gives. */
interface SplitRule {
  describe(threads: number): string;
  boundaries(limit: number, threads: number): number[];
}

const interior = (threads: number) => Array.from({ length: threads - 1 }, (_, i) => i + 1);

/** Whichever a submission uses, a bug at its boundaries shows when one of these points is prime. */
export const SPLIT_RULES: readonly SplitRule[] = [
  {
    describe: (t) => `splitting into ${t} ranges at floor(i * limit / ${t})`,
    boundaries: (limit, t) => interior(t).map((i) => Math.floor((i * limit) / t)),
  },
  {
    describe: (t) => `splitting into ranges of ceil(limit / ${t}) numbers`,
    boundaries: (limit, t) => interior(t).map((i) => i * Math.ceil(limit / t)),
  },
  {
    describe: (t) => `splitting into ranges of floor(limit / ${t}) numbers, the rest to the last`,
    boundaries: (limit, t) => interior(t).map((i) => i * Math.floor(limit / t)),
  },
  {
    describe: (t) => `splitting 2..limit into ${t} equal ranges`,
    boundaries: (limit, t) => interior(t).map((i) => 2 + Math.floor((i * (limit - 2)) / t)),
  },
  {
    describe: (t) => `splitting into ${t} ranges at round(i * limit / ${t})`,
    boundaries: (limit, t) => interior(t).map((i) => Math.round((i * limit) / t)),
  },
];

/** Every small limit with every thread count: empty ranges, more threads than numbers, 2 and 3 themselves. */
export function smallCases(settings: ParallelPrimesSettings): CountCase[] {
  return settings.smallLimits.flatMap((limit) => settings.threads.map((threads) => ({ limit, threads })));
}

/** Candidate limits are tried from a seeded start; this many at most per case. */
const SEARCH_SPAN = 20_000;

/**
 * Limits where a split rule's boundaries are prime (all of them when some limit allows it,
 * otherwise the first), and limits where the last number below the limit, or the limit itself,
 * is prime. The seed picks where the search starts, so each seed has its own limits.
 */
export function boundaryCases(
  table: PrimeTable,
  random: () => number,
  settings: ParallelPrimesSettings,
): CountCase[] {
  const { searchFrom, searchTo } = settings.boundaries;
  const start = () => searchFrom + Math.floor(random() * (searchTo - searchFrom - SEARCH_SPAN));
  const cases: CountCase[] = [];
  const add = (found: CountCase | undefined) => {
    if (found && !cases.some((c) => c.limit === found.limit && c.threads === found.threads))
      cases.push(found);
  };
  for (const threads of settings.threads.filter((t) => t >= 2)) {
    for (const rule of SPLIT_RULES) {
      const from = start();
      const primeAt = (limit: number) => rule.boundaries(limit, threads).filter((b) => table.isPrime(b));
      const limit =
        search(from, (l) => primeAt(l).length === threads - 1) ??
        search(from, (l) => table.isPrime(rule.boundaries(l, threads)[0]));
      if (limit === undefined) continue;
      const primes = primeAt(limit).map(formatCount);
      add({
        limit,
        threads,
        why: `${rule.describe(threads)} puts ${primes.length > 1 ? `the primes ${listSome(primes, 3)} on the boundaries` : `the prime ${primes[0]} on a boundary`} between threads`,
      });
    }
  }
  for (const threads of settings.threads) {
    const lastPrime = search(start(), (limit) => table.isPrime(limit - 1));
    if (lastPrime !== undefined)
      add({
        limit: lastPrime,
        threads,
        why: `${formatCount(lastPrime - 1)}, the last number below the limit, is prime`,
      });
    const primeLimit = search(start(), (limit) => table.isPrime(limit));
    if (primeLimit !== undefined)
      add({
        limit: primeLimit,
        threads,
        why: `the limit ${formatCount(primeLimit)} is prime itself and must not be counted`,
      });
  }
  return cases;
}

function search(from: number, wanted: (limit: number) => boolean): number | undefined {
  for (let limit = from; limit < from + SEARCH_SPAN; limit++) if (wanted(limit)) return limit;
  return undefined;
}
