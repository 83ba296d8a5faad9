// expect-fail: large-limit
// Mistake: resolves with the count of whichever worker answers first (Promise.race) instead of
// adding up every worker's count.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const BLOCK = 10_000;

interface Share {
  limit: number;
  threads: number;
  index: number;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let divisor = 3; divisor * divisor <= n; divisor += 2) if (n % divisor === 0) return false;
  return true;
}

function countShare({ limit, threads, index }: Share): number {
  let count = 0;
  for (let start = index * BLOCK; start < limit; start += threads * BLOCK) {
    const end = Math.min(start + BLOCK, limit);
    for (let n = start; n < end; n++) if (isPrime(n)) count++;
  }
  return count;
}

if (!isMainThread) parentPort!.postMessage(countShare(workerData as Share));

function countOnWorker(share: Share): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(__filename, { workerData: share });
    worker.once('message', (count: number) => resolve(count));
    worker.once('error', reject);
  });
}

export async function countPrimes(limit: number, threads: number): Promise<number> {
  const shares = Array.from({ length: threads }, (_, index) => countOnWorker({ limit, threads, index }));
  return Promise.race(shares);
}
