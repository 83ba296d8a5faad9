/**
 * Probe, run as `node --no-node-snapshot --expose-gc
 * dist/src/sandbox/platform/__fixtures__/probe-shared-buffer-outlives-maker.js <rounds>`: the
 * isolated-vm 5.0.4 heap corruption. Each round, isolate A makes a SharedArrayBuffer, B gets it
 * and uses it, A is disposed while B still holds it, then B works and is disposed. In 5.0.4 the
 * buffer's memory was released through A's freed allocator: 400 rounds crashed 9 runs of 10 and 100
 * rounds 8 of 16 (segfaults, aborts, or a bogus "disposed ... due to memory limit"). Prints
 * `ok <rounds>` and exits 0 when every round worked.
 */
import ivm from 'isolated-vm';

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 400);
  for (let round = 0; round < rounds; round++) {
    const maker = new ivm.Isolate({ memoryLimit: 32 });
    const user = new ivm.Isolate({ memoryLimit: 32 });
    const [makerContext, userContext] = [maker.createContextSync(), user.createContextSync()];
    const buffer = await makerContext.eval(
      'globalThis.s = new SharedArrayBuffer(1 << 16); new Int32Array(s)[0] = 7; s',
      { copy: true },
    );
    userContext.global.setSync('s', new ivm.ExternalCopy(buffer).copyInto({ release: true }));
    const seen = await userContext.eval('new Int32Array(s)[0] += 1; new Int32Array(s)[0]');
    if (seen !== 8) throw new Error(`round ${round}: the user isolate read ${String(seen)}, not 8`);
    maker.dispose();
    await userContext.eval(
      'for (let k = 0; k < 1000; k++) new Int32Array(s)[k % 100] = k; globalThis.x = new Array(1000).fill(0).map((_, i) => ({ i }))',
    );
    user.dispose();
    if (round % 50 === 0) globalThis.gc?.();
  }
  process.stdout.write(`ok ${rounds}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
