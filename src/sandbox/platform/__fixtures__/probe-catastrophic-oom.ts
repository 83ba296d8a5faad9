/**
 * Probe, run as `node --no-node-snapshot dist/src/sandbox/platform/__fixtures__/probe-catastrophic-oom.js
 * <with-handler|no-handler> <async|sync>`: what happens when V8 itself runs out of memory in an
 * isolate (isolated-vm's "catastrophic" error), with and without an `onCatastrophicError` handler
 * that calls `process.exit(7)`. Prints `bomb` when the allocation starts and `handler called: ...`
 * if the handler runs; catastrophic-oom.spec.ts watches the process from outside.
 *
 * The bomb, `new Array(2 ** 30).fill(1)`, fills a dictionary in one builtin call that never checks
 * for termination, so isolated-vm's memory limit cannot stop it; but isolated-vm lets V8's heap grow
 * by 1 GB at a time near its limit, so on its own it takes 10-30 s on this host to reach V8's end.
 * The probe first caps its own address space (prlimit) at what it uses plus 128 MB: V8 then fails
 * to grow its heap within a few seconds, through the same out-of-memory path.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';

const HEADROOM_MB = 128;
const BOMB = 'new Array(2 ** 30).fill(1)';

function capAddressSpace(): void {
  const vmSizeKb = Number(/VmSize:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
  execFileSync('prlimit', [`--pid=${process.pid}`, `--as=${(vmSizeKb + HEADROOM_MB * 1024) * 1024}`]);
}

async function main(): Promise<void> {
  const [handler, mode] = process.argv.slice(2);
  const isolate = new ivm.Isolate({
    memoryLimit: 16,
    ...(handler === 'with-handler' && {
      onCatastrophicError: (message: string) => {
        process.stdout.write(`handler called: ${message}\n`);
        process.exit(7);
      },
    }),
  });
  const context = isolate.createContextSync();
  await context.eval('0'); // the pool thread and the context exist before the cap
  capAddressSpace();
  process.stdout.write('bomb\n');
  try {
    if (mode === 'sync') context.evalSync(BOMB);
    else await context.eval(BOMB);
    process.stdout.write('returned\n');
  } catch (error) {
    process.stdout.write(`threw: ${(error as Error).message}\n`);
  }
  process.exit(0);
}

void main();
