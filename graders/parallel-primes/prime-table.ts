/**
 * The grader's own knowledge of the primes below a bound (a sieve of Eratosthenes), so every
 * expected count is computed here, independently of the submission.
 */
export class PrimeTable {
  /** `composite[n]` is 1 when n < 2 or n has a divisor other than 1 and n. */
  private readonly composite: Uint8Array;
  private readonly counts = new Map<number, number>();

  constructor(readonly bound: number) {
    this.composite = new Uint8Array(bound + 1);
    this.composite.fill(1, 0, Math.min(2, bound + 1));
    for (let p = 2; p * p <= bound; p++) {
      if (this.composite[p]) continue;
      for (let multiple = p * p; multiple <= bound; multiple += p) this.composite[multiple] = 1;
    }
  }

  isPrime(n: number): boolean {
    if (!Number.isInteger(n) || n < 0 || n > this.bound) throw new RangeError(`${n} is outside the table`);
    return this.composite[n] === 0;
  }

  /** How many primes p satisfy 2 <= p < limit. */
  countBelow(limit: number): number {
    if (limit > this.bound + 1) throw new RangeError(`${limit} is outside the table`);
    let count = this.counts.get(limit);
    if (count === undefined) {
      count = 0;
      for (let n = 2; n < limit; n++) if (this.composite[n] === 0) count++;
      this.counts.set(limit, count);
    }
    return count;
  }
}
