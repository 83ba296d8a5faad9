/**
 * Platform probe, run as `node --no-node-snapshot dist/src/sandbox/threads/__fixtures__/probe-isolated-vm.js`:
 * measures what the thread runtime relies on in isolated-vm (parallel isolates, a SharedArrayBuffer
 * shared through ExternalCopy, Atomics.wait woken from another isolate, what `cpuTime` counts) and
 * prints the numbers as JSON. isolated-vm-platform.spec.ts checks them; docs/threads.md records them.
 */
import ivm from 'isolated-vm';

const SPIN_MS = 200;
const spin = (ms: number) => `{ const end = Date.now() + ${ms}; while (Date.now() < end); }`;
const elapsedMs = (since: number) => performance.now() - since;
const nsToMs = (ns: bigint) => Number(ns) / 1e6;

function sharedContext(isolate: ivm.Isolate, buffer: SharedArrayBuffer): ivm.Context {
  const context = isolate.createContextSync();
  context.global.setSync('shared', new ivm.ExternalCopy(buffer).copyInto({ release: true }));
  context.evalSync('globalThis.cells = new Int32Array(shared)');
  return context;
}

async function main(): Promise<void> {
  const buffer = new SharedArrayBuffer(16);
  const cells = new Int32Array(buffer);
  const isolates = [new ivm.Isolate({ memoryLimit: 16 }), new ivm.Isolate({ memoryLimit: 16 })];
  const [first, second] = isolates.map((isolate) => sharedContext(isolate, buffer));
  try {
    first.evalSync('cells[0] = 42');
    const seenByOther = second.evalSync('cells[0]') as number;

    let started = performance.now();
    await first.eval(spin(SPIN_MS));
    await second.eval(spin(SPIN_MS));
    const sequentialMs = elapsedMs(started);
    started = performance.now();
    await Promise.all([first.eval(spin(SPIN_MS)), second.eval(spin(SPIN_MS))]);
    const parallelMs = elapsedMs(started);

    const addsPerIsolate = 1_000_000;
    await Promise.all(
      [first, second].map((context) =>
        context.eval(`for (let i = 0; i < ${addsPerIsolate}; i++) Atomics.add(cells, 1, 1)`),
      ),
    );

    // One isolate sleeps in Atomics.wait; the other wakes it after SPIN_MS of spinning.
    const [waiterCpu, waiterWall] = [isolates[0].cpuTime, isolates[0].wallTime];
    const processCpu = process.cpuUsage();
    started = performance.now();
    const waiting = first.eval('Atomics.wait(cells, 2, 0, 5000)') as Promise<string>;
    const woken = second.eval(`${spin(SPIN_MS)} cells[2] = 1; Atomics.notify(cells, 2)`) as Promise<number>;
    const [waitResult, notified] = await Promise.all([waiting, woken]);
    const wokenAfterMs = elapsedMs(started);
    const cpu = process.cpuUsage(processCpu);

    process.stdout.write(
      JSON.stringify({
        seenByOther,
        hostSees: cells[0],
        sequentialMs,
        parallelMs,
        atomicAddTotal: Atomics.load(cells, 1),
        expectedAddTotal: 2 * addsPerIsolate,
        waitResult,
        notified,
        wokenAfterMs,
        waiterCpuTimeMs: nsToMs(isolates[0].cpuTime - waiterCpu),
        waiterWallTimeMs: nsToMs(isolates[0].wallTime - waiterWall),
        processCpuMs: (cpu.user + cpu.system) / 1000,
        spinMs: SPIN_MS,
      }),
    );
  } finally {
    for (const isolate of isolates) isolate.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
