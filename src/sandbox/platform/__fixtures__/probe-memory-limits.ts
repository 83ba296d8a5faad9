/**
 * Probe, run as `node --no-node-snapshot dist/src/sandbox/platform/__fixtures__/probe-memory-limits.js`:
 * which allocations isolated-vm counts against an isolate's `memoryLimit` (16 MB here), and what
 * happens at the limit. Prints JSON for memory-limits.spec.ts.
 */
import { setFlagsFromString } from 'node:v8';
import ivm from 'isolated-vm';

const MB = 1 << 20;
const LIMIT_MB = 16;

interface Attempt {
  /** What the isolate's code returned, or the message it failed with. */
  result: unknown;
  threw: boolean;
  isolateDisposed: boolean;
  /** Process RSS growth (MB): memory really taken, counted or not. */
  rssGrowthMb: number;
}

function freshContext(): [ivm.Isolate, ivm.Context] {
  const isolate = new ivm.Isolate({ memoryLimit: LIMIT_MB });
  return [isolate, isolate.createContextSync()];
}

function attempt(context: ivm.Context, isolate: ivm.Isolate, code: string): Attempt {
  const rssBefore = process.memoryUsage().rss;
  let result: unknown;
  let threw = false;
  try {
    result = context.evalSync(code, { timeout: 20_000 });
  } catch (error) {
    [result, threw] = [(error as Error).message, true];
  }
  return {
    result,
    threw,
    isolateDisposed: isolate.isDisposed,
    rssGrowthMb: (process.memoryUsage().rss - rssBefore) / MB,
  };
}

/** Runs `code` in a fresh isolate, which is disposed afterwards. */
function inFreshIsolate(code: string): Attempt {
  const [isolate, context] = freshContext();
  try {
    return attempt(context, isolate, code);
  } finally {
    if (!isolate.isDisposed) isolate.dispose();
  }
}

const keepAllocating = (allocate: string, times = 1000) =>
  `globalThis.kept = []; for (let i = 0; i < ${times}; i++) kept.push(${allocate}); kept.length`;

/** A SharedArrayBuffer of 12 MB given to two isolates: can each still allocate 8 MB of its own? */
function sharedBufferAccounting() {
  const alloc8 = `globalThis.own = new ArrayBuffer(${8 * MB}); 'allocated'`;
  const [holderA, contextA] = freshContext();
  const [holderB, contextB] = freshContext();
  const [bystander, contextC] = freshContext();
  const [maker, makerContext] = freshContext();
  const [receiver, receiverContext] = freshContext();
  try {
    const hostBuffer = new SharedArrayBuffer(12 * MB);
    for (const context of [contextA, contextB]) {
      context.global.setSync('shared', new ivm.ExternalCopy(hostBuffer).copyInto({ release: true }));
    }
    const made = makerContext.evalSync(`globalThis.shared = new SharedArrayBuffer(${12 * MB}); shared`, {
      copy: true,
    });
    receiverContext.global.setSync('shared', new ivm.ExternalCopy(made).copyInto({ release: true }));
    const [tooBig, tooBigContext] = freshContext();
    const giveTooBig = attempt(tooBigContext, tooBig, '0');
    try {
      tooBigContext.global.setSync(
        'shared',
        new ivm.ExternalCopy(new SharedArrayBuffer(2 * LIMIT_MB * MB)).copyInto({ release: true }),
      );
      Object.assign(giveTooBig, { result: 'accepted', isolateDisposed: tooBig.isDisposed });
    } catch (error) {
      Object.assign(giveTooBig, {
        result: (error as Error).message,
        threw: true,
        isolateDisposed: tooBig.isDisposed,
      });
    } finally {
      if (!tooBig.isDisposed) tooBig.dispose();
    }
    return {
      hostBuffer: {
        holderA: attempt(contextA, holderA, alloc8),
        holderB: attempt(contextB, holderB, alloc8),
        bystander: attempt(contextC, bystander, alloc8),
      },
      isolateMadeBuffer: {
        maker: attempt(makerContext, maker, alloc8),
        receiver: attempt(receiverContext, receiver, alloc8),
      },
      largerThanTheLimit: giveTooBig,
    };
  } finally {
    for (const isolate of [holderA, holderB, bystander, maker, receiver])
      if (!isolate.isDisposed) isolate.dispose();
  }
}

function main(): void {
  const bombs = {
    heap: inFreshIsolate(keepAllocating(`{ i, padding: 'x'.repeat(100) + i }`, 1e9)),
    arrayBuffers: inFreshIsolate(keepAllocating(`new ArrayBuffer(${MB})`)),
    sharedArrayBuffers: inFreshIsolate(keepAllocating(`new SharedArrayBuffer(${MB})`)),
    // 64 MB of WebAssembly memory, every page touched, in a 16 MB isolate.
    wasmMemory: inFreshIsolate(
      `const memory = new WebAssembly.Memory({ initial: ${(64 * MB) / 65536} }); new Uint8Array(memory.buffer).fill(1);
       globalThis.keep = memory; new ArrayBuffer(${8 * MB}); memory.buffer.byteLength`,
    ),
  };
  // What new-sandbox-isolate.ts did before its first isolate: on Node 20 this flag removed resizable
  // buffers from new isolates; V8 prints "unrecognized flag" to stderr once it no longer exists.
  setFlagsFromString('--no-harmony-rab-gsab');
  const resizable = inFreshIsolate(
    `const b = new ArrayBuffer(8, { maxByteLength: ${64 * MB} }); const had = typeof b.resize;
     if (had === 'function') { b.resize(${64 * MB}); new Uint8Array(b).fill(1); globalThis.keep = b; }
     had + ' ' + b.byteLength`,
  );
  const growable = inFreshIsolate(
    `const b = new SharedArrayBuffer(8, { maxByteLength: ${64 * MB} }); const had = typeof b.grow;
     if (had === 'function') { b.grow(${64 * MB}); new Uint8Array(b).fill(1); globalThis.keep = b; }
     had + ' ' + b.byteLength`,
  );
  process.stdout.write(
    JSON.stringify({
      limitMb: LIMIT_MB,
      bombs,
      sharedBuffers: sharedBufferAccounting(),
      resizable,
      growable,
    }),
  );
}

main();
