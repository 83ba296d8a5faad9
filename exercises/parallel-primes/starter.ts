import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let divisor = 3; divisor * divisor <= n; divisor += 2) if (n % divisor === 0) return false;
  return true;
}

/** The primes p with from <= p < to. */
function countRange(from: number, to: number): number {
  let count = 0;
  for (let n = from; n < to; n++) if (isPrime(n)) count++;
  return count;
}

// This same file runs again in every worker thread: there isMainThread is false, and workerData
// is what the main thread passed to new Worker(__filename, { workerData }).
if (!isMainThread) {
  // TODO: count this worker's share and send the count back with parentPort!.postMessage(count).
  void parentPort;
  void workerData;
}

/** Counts the primes p with 2 <= p < limit by trial division, spread over `threads` worker threads (node:worker_threads). */
export async function countPrimes(limit: number, threads: number): Promise<number> {
  // TODO: this counts correctly, but on the main thread alone. Start `threads` workers, give each
  // a share of [0, limit), and add up the counts they send back.
  void threads;
  void Worker;
  return countRange(0, limit);
}
