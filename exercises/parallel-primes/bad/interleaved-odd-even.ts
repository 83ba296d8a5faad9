// expect-fail: balanced
// Mistake: deals out single numbers round-robin (worker i tests i, i + threads, ...). With 2 threads
// worker 0 gets every even number, which costs nothing to test, and worker 1 does all the work.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

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
  for (let n = index; n < limit; n += threads) if (isPrime(n)) count++;
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
  const counts = await Promise.all(shares);
  return counts.reduce((sum, count) => sum + count, 0);
}
