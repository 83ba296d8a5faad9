/**
 * Probe, run as `node --no-node-snapshot dist/src/sandbox/platform/__fixtures__/probe-shared-memory.js`:
 * isolates as threads. Whether a SharedArrayBuffer stays shared when it crosses into an isolate
 * (ExternalCopy, nested, returned with `{ copy: true }` and handed on), whether two isolates run at
 * the same time, and whether Atomics work across them. Prints JSON for shared-memory.spec.ts.
 */
import ivm from 'isolated-vm';

const SPIN_MS = 200;
const spin = (ms: number) => `{ const end = Date.now() + ${ms}; while (Date.now() < end); }`;
const give = (context: ivm.Context, name: string, value: unknown) =>
  context.global.setSync(name, new ivm.ExternalCopy(value).copyInto({ release: true }));

async function main(): Promise<void> {
  const cells = new Int32Array(new SharedArrayBuffer(16));
  const isolates = [0, 1, 2].map(() => new ivm.Isolate({ memoryLimit: 16 }));
  const [first, second, third] = isolates.map((isolate) => isolate.createContextSync());
  try {
    for (const context of [first, second]) {
      give(context, 'shared', cells.buffer);
      give(context, 'nested', { counter: cells.buffer, list: [cells.buffer] });
      context.evalSync('globalThis.cells = new Int32Array(shared)');
    }
    first.evalSync('cells[0] = 42');
    const copyInto = { otherIsolate: second.evalSync('cells[0]') as number, host: cells[0] };
    second.evalSync('new Int32Array(nested.list[0])[3] = 7');
    const nested = {
      otherIsolate: first.evalSync('new Int32Array(nested.counter)[3]') as number,
      host: cells[3],
    };

    // A buffer the isolate made, returned to the host with { copy: true }, then handed to another isolate.
    const made = (await third.eval('globalThis.own = new SharedArrayBuffer(8); own', {
      copy: true,
    })) as SharedArrayBuffer;
    give(first, 'fromThird', made);
    first.evalSync('new Int32Array(fromThird)[0] = 5');
    new Int32Array(made)[1] = 6;
    const returnedCopy = {
      isSharedArrayBuffer: made instanceof SharedArrayBuffer,
      makerSees: third.evalSync('Array.from(new Int32Array(own)).join()') as string,
    };

    let started = performance.now();
    await first.eval(spin(SPIN_MS));
    await second.eval(spin(SPIN_MS));
    const sequentialMs = performance.now() - started;
    started = performance.now();
    await Promise.all([first.eval(spin(SPIN_MS)), second.eval(spin(SPIN_MS))]);
    const parallelMs = performance.now() - started;

    const addsPerIsolate = 1_000_000;
    await Promise.all(
      [first, second].map((context) =>
        context.eval(`for (let i = 0; i < ${addsPerIsolate}; i++) Atomics.add(cells, 1, 1)`),
      ),
    );

    // One isolate sleeps in Atomics.wait; the other wakes it after SPIN_MS of spinning.
    started = performance.now();
    const [waitResult, notified] = await Promise.all([
      first.eval('Atomics.wait(cells, 2, 0, 5000)') as Promise<string>,
      second.eval(`${spin(SPIN_MS)} Atomics.store(cells, 2, 1); Atomics.notify(cells, 2)`) as Promise<number>,
    ]);
    const wokenAfterMs = performance.now() - started;

    process.stdout.write(
      JSON.stringify({
        copyInto,
        nested,
        returnedCopy,
        spinMs: SPIN_MS,
        sequentialMs,
        parallelMs,
        atomicAdds: { total: Atomics.load(cells, 1), expected: 2 * addsPerIsolate },
        crossIsolateWait: { waitResult, notified, wokenAfterMs },
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
