// expect-fail: small-limits, boundaries
// Mistake: each worker counts up to and including the end of its range, so a prime on a split point is counted twice (and a prime limit once).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

interface Range {
  from: number;
  to: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let divisor = 3; divisor * divisor <= n; divisor += 2) if (n % divisor === 0) return false;
  return true;
}

function countRange({ from, to }: Range): number {
  let count = 0;
  for (let n = from; n <= to; n++) if (isPrime(n)) count++;
  return count;
}

if (!isMainThread) parentPort!.postMessage(countRange(workerData as Range));

function countOnWorker(range: Range): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: range });
    worker.once('message', (count: number) => resolve(count));
    worker.once('error', reject);
  });
}

export async function countPrimes(limit: number, threads: number): Promise<number> {
  const ranges = Array.from({ length: threads }, (_, i) => ({
    from: Math.floor((i * limit) / threads),
    to: Math.floor(((i + 1) * limit) / threads),
  }));
  const counts = await Promise.all(ranges.map(countOnWorker));
  return counts.reduce((sum, count) => sum + count, 0);
}
