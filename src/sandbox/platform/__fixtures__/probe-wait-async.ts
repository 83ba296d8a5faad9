/**
 * Probe, run as `node --no-node-snapshot dist/src/sandbox/platform/__fixtures__/probe-wait-async.js`:
 * what V8's own `Atomics.waitAsync` does inside an isolate. Each wait's promise reports its result
 * to the host through an async callback, so the host sees when (and whether) it settles, and how
 * many times it had entered the isolate by then. Prints JSON for wait-async.spec.ts.
 */
import ivm from 'isolated-vm';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ENTRY_EVERY_MS = 150;

interface Settlement {
  /** The promise's value, or 'pending' if it never settled while the probe looked. */
  result: string;
  /** Entries into the isolate (after the wait began, or after the notify) before it settled. */
  entriesBefore: number;
}

async function main(): Promise<void> {
  const cells = new Int32Array(new SharedArrayBuffer(16));
  const isolates = [new ivm.Isolate({ memoryLimit: 16 }), new ivm.Isolate({ memoryLimit: 16 })];
  const [waiter, notifier] = isolates.map((isolate) => isolate.createContextSync());
  const settled = new Map<string, string>();
  try {
    waiter.global.setSync(
      'report',
      new ivm.Callback((name: string, result: string) => void settled.set(name, result), { async: true }),
    );
    for (const context of [waiter, notifier]) {
      context.global.setSync('shared', new ivm.ExternalCopy(cells.buffer).copyInto({ release: true }));
      context.evalSync('globalThis.cells = new Int32Array(shared)');
    }
    const startWait = (name: string, cell: number, timeout: string) =>
      waiter.eval(
        `{ const w = Atomics.waitAsync(cells, ${cell}, 0, ${timeout});
           w.async ? w.value.then((result) => report('${name}', result)) : report('${name}', 'sync ' + w.value); }`,
      );
    /** Waits `quietMs` without entering the isolate, then enters it every ENTRY_EVERY_MS up to `entries` times. */
    const watch = async (name: string, quietMs: number, entries: number): Promise<Settlement> => {
      await sleep(quietMs);
      for (let entered = 0; entered <= entries; entered++) {
        await sleep(10); // the callback's report reaches the host a turn of its event loop later
        if (settled.has(name)) return { result: settled.get(name) as string, entriesBefore: entered };
        if (entered < entries) {
          await waiter.eval('0');
          await sleep(ENTRY_EVERY_MS);
        }
      }
      return { result: 'pending', entriesBefore: entries };
    };

    // A finite timeout, 100 ms: isolated-vm 5.0.4 aborted the process here.
    await startWait('timeout', 0, '100');
    const finiteTimeout = await watch('timeout', 0, 5);

    await startWait('host', 1, 'Infinity');
    Atomics.store(cells, 1, 1);
    const hostNotifyWoke = Atomics.notify(cells, 1);
    const notifiedByHost = await watch('host', 300, 5);

    await startWait('isolate', 2, 'Infinity');
    const isolateNotifyWoke = (await notifier.eval(
      'Atomics.store(cells, 2, 1); Atomics.notify(cells, 2)',
    )) as number;
    const notifiedByIsolate = await watch('isolate', 300, 5);

    process.stdout.write(
      JSON.stringify({
        entryEveryMs: ENTRY_EVERY_MS,
        finiteTimeout,
        notifiedByHost: { woke: hostNotifyWoke, ...notifiedByHost },
        notifiedByIsolate: { woke: isolateNotifyWoke, ...notifiedByIsolate },
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
