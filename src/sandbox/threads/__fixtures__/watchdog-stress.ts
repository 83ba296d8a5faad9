/**
 * Looks for false deadlocks: `node --no-node-snapshot dist/src/sandbox/threads/__fixtures__/watchdog-stress.js [runs] [pollMs]`
 * runs a correct futex mutex and a correct ticket lock (both from wait-evidence.spec.ts's family)
 * under 8 threads, `runs` times each (default 200), with the watchdog polling every `pollMs`
 * (default 5), and prints how each run ended and the load average. Every run must be `completed`.
 */
import { loadavg } from 'node:os';
import { transpileSubmission } from '../../transpile-submission';
import { runThreads } from '../thread-runtime';

const LOCKS = `
export class Mutex {
  constructor(private state: Int32Array) {}
  lock(): void {
    let c = Atomics.compareExchange(this.state, 0, 0, 1);
    if (c === 0) return;
    if (c !== 2) c = Atomics.exchange(this.state, 0, 2);
    while (c !== 0) {
      Atomics.wait(this.state, 0, 2);
      c = Atomics.exchange(this.state, 0, 2);
    }
  }
  unlock(): void {
    if (Atomics.sub(this.state, 0, 1) !== 1) {
      Atomics.store(this.state, 0, 0);
      Atomics.notify(this.state, 0, 1);
    }
  }
}
export class TicketLock {
  constructor(private state: Int32Array) {}
  lock(): void {
    const ticket = Atomics.add(this.state, 0, 1);
    for (;;) {
      const serving = Atomics.load(this.state, 1);
      if (serving === ticket) return;
      Atomics.wait(this.state, 1, serving);
    }
  }
  unlock(): void {
    Atomics.add(this.state, 1, 1);
    Atomics.notify(this.state, 1);
  }
}`;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 200);
  const pollMs = Number(process.argv[3] ?? 5);
  const transpiled = await transpileSubmission(LOCKS);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const tally: Record<string, number> = {};
  for (const [lockClass, rounds] of [
    ['Mutex', 5000],
    ['TicketLock', 500],
  ] as const) {
    for (let run = 0; run < runs; run++) {
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const outcome = await runThreads({
        submission: transpiled.submission,
        threadCount: 8,
        threadSource: `() => (exports, shared) => {
          const lock = new exports.${lockClass}(shared.state);
          for (let i = 0; i < ${rounds}; i++) { lock.lock(); const v = shared.counter[0]; shared.counter[0] = v + 1; lock.unlock(); }
        }`,
        shared: { state: new Int32Array(new SharedArrayBuffer(8)), counter },
        limits: { wallTimeMs: 10_000, memoryMbPerThread: 16 },
        watchdog: { pollMs },
      });
      const key = `${lockClass} ${outcome.status}${counter[0] === 8 * rounds ? '' : ' (count wrong)'}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
  }
  const load = loadavg().map((value) => value.toFixed(1));
  process.stdout.write(`${JSON.stringify(tally)} load average ${load.join(' ')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
