/** Counts the primes p with 2 <= p < limit by trial division, spread over `threads` worker threads (node:worker_threads). */
export declare function countPrimes(limit: number, threads: number): Promise<number>;
