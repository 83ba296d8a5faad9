import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/**
 * Reference solution. The numbers are dealt to the workers in blocks, round-robin: block b goes
 * to worker b % threads. Testing n costs up to √n divisions, so contiguous equal ranges would
 * leave the last worker the most expensive numbers; interleaved blocks give every worker nearly
 * the same mix of cheap and expensive ones.
 */
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

/** The primes in blocks index, index + threads, index + 2 * threads, ... of [0, limit). */
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
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${share.index} stopped with exit code ${code}`));
    });
  });
}

/** Counts the primes p with 2 <= p < limit by trial division, spread over `threads` worker threads (node:worker_threads). */
export async function countPrimes(limit: number, threads: number): Promise<number> {
  // Every worker is started before any is awaited: they run at the same time.
  const shares = Array.from({ length: threads }, (_, index) => countOnWorker({ limit, threads, index }));
  const counts = await Promise.all(shares);
  return counts.reduce((sum, count) => sum + count, 0);
}
