// expect-fail: uses-workers, parallel, balanced
// Mistake: counts everything on the main thread; `threads` is ignored and no worker is started.
function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let divisor = 3; divisor * divisor <= n; divisor += 2) if (n % divisor === 0) return false;
  return true;
}

export async function countPrimes(limit: number, threads: number): Promise<number> {
  void threads;
  let count = 0;
  for (let n = 2; n < limit; n++) if (isPrime(n)) count++;
  return count;
}
