/**
 * Run as `node --no-node-snapshot dist/src/sandbox/__fixtures__/probe-sandbox-context.js`: evaluates
 * PROBES (name -> expression) in a context of a 64 MB sandbox isolate, made the sync way and the async
 * way, and prints `{ sync: { name: value }, async: {...} }` as JSON. An expression that throws gives
 * "threw <Name>: <message>". new-sandbox-context.spec.ts checks the values.
 */
import type ivm from 'isolated-vm';
import { newSandboxContext, newSandboxContextSync } from '../new-sandbox-context';
import { newSandboxIsolate } from '../new-sandbox-isolate';

const PROBES: Record<string, string> = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;

function probe(context: ivm.Context): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, expression] of Object.entries(PROBES)) {
    const wrapped = `(() => { try { const value = (${expression}); return JSON.stringify(value === undefined ? null : value); } catch (e) { return JSON.stringify('threw ' + e.name + ': ' + e.message); } })()`;
    values[name] = JSON.parse(context.evalSync(wrapped, { timeout: 5000 }) as string);
  }
  return values;
}

async function main(): Promise<void> {
  const isolate = newSandboxIsolate(64);
  try {
    const sync = probe(newSandboxContextSync(isolate));
    const async = probe(await newSandboxContext(isolate));
    process.stdout.write(JSON.stringify({ sync, async }));
  } finally {
    isolate.dispose();
  }
}

void main();
