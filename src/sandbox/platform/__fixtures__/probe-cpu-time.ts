/**
 * Probe, run as `node --no-node-snapshot dist/src/sandbox/platform/__fixtures__/probe-cpu-time.js`:
 * what isolated-vm's `isolate.cpuTime` and `wallTime` count. Prints JSON; cpu-time.spec.ts checks
 * it and docs/threads.md records it.
 *
 * - A sleeper: one isolate blocks in Atomics.wait and the HOST wakes it from a setTimeout, so no
 *   other isolate spins and the process's CPU shows whether the waiter really slept.
 * - Contention: twice as many isolates as cores do the same CPU work at once; each one waits for a
 *   core about half the time, which real thread CPU time would not count.
 */
import { availableParallelism } from 'node:os';
import ivm from 'isolated-vm';

const SLEEP_MS = 400;
const PRIME_LIMIT = 400_000;
const countPrimes = `{ let n = 0; for (let i = 2; i < ${PRIME_LIMIT}; i++) { let prime = true;
  for (let d = 2; d * d <= i; d++) if (i % d === 0) { prime = false; break; } if (prime) n++; } n }`;

const nsToMs = (ns: bigint) => Number(ns) / 1e6;
const processCpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function sleeper() {
  const cells = new Int32Array(new SharedArrayBuffer(4));
  const isolate = new ivm.Isolate({ memoryLimit: 16 });
  try {
    const context = isolate.createContextSync();
    context.global.setSync('shared', new ivm.ExternalCopy(cells.buffer).copyInto({ release: true }));
    const [cpuBefore, wallBefore, cpu, started] = [
      isolate.cpuTime,
      isolate.wallTime,
      process.cpuUsage(),
      performance.now(),
    ];
    let cpuTimeMidWaitMs = 0;
    setTimeout(() => (cpuTimeMidWaitMs = nsToMs(isolate.cpuTime - cpuBefore)), SLEEP_MS / 2);
    setTimeout(() => {
      Atomics.store(cells, 0, 1);
      Atomics.notify(cells, 0);
    }, SLEEP_MS);
    const waitResult = (await context.eval('Atomics.wait(new Int32Array(shared), 0, 0, 10000)')) as string;
    return {
      sleepMs: SLEEP_MS,
      waitResult,
      elapsedMs: performance.now() - started,
      cpuTimeMs: nsToMs(isolate.cpuTime - cpuBefore),
      cpuTimeMidWaitMs,
      wallTimeMs: nsToMs(isolate.wallTime - wallBefore),
      processCpuMs: processCpuMs(cpu),
    };
  } finally {
    isolate.dispose();
  }
}

async function contention() {
  const cores = availableParallelism();
  const isolates = Array.from({ length: 2 * cores }, () => new ivm.Isolate({ memoryLimit: 16 }));
  try {
    const contexts = isolates.map((isolate) => isolate.createContextSync());
    // Alone first: what the work costs one isolate with a core to itself (as far as the machine allows).
    const [cpuBefore, cpuAlone, startedAlone] = [isolates[0].cpuTime, process.cpuUsage(), performance.now()];
    await contexts[0].eval(countPrimes);
    const alone = {
      cpuTimeMs: nsToMs(isolates[0].cpuTime - cpuBefore),
      processCpuMs: processCpuMs(cpuAlone),
      wallMs: performance.now() - startedAlone,
    };

    const cpuTimesBefore = isolates.map((isolate) => isolate.cpuTime);
    const wallTimesBefore = isolates.map((isolate) => isolate.wallTime);
    const [cpu, started] = [process.cpuUsage(), performance.now()];
    await Promise.all(contexts.map((context) => context.eval(countPrimes)));
    const wallMs = performance.now() - started;
    const together = {
      processCpuMs: processCpuMs(cpu),
      wallMs,
      cpuTimesMs: isolates.map((isolate, i) => nsToMs(isolate.cpuTime - cpuTimesBefore[i])),
      wallTimesMs: isolates.map((isolate, i) => nsToMs(isolate.wallTime - wallTimesBefore[i])),
    };
    return { cores, isolates: isolates.length, alone, together };
  } finally {
    for (const isolate of isolates) isolate.dispose();
  }
}

async function main(): Promise<void> {
  process.stdout.write(JSON.stringify({ sleeper: await sleeper(), contention: await contention() }));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
