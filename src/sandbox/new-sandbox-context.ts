import ivm from 'isolated-vm';
import { removeUncountedMemory } from './isolate/uncounted-memory';

/** Trusted and tiny: this bounds a bug of ours, not student code (none has run in the context yet). */
const SETUP_TIMEOUT_MS = 1000;
const SETUP_SOURCE = `(${removeUncountedMemory.toString()})()`;
const SETUP_OPTIONS = { filename: 'file:///sandbox/lockstep-context.js', timeout: SETUP_TIMEOUT_MS };

/**
 * Every context that runs submission code (a scenario of the grading isolate, a grader thread, a
 * worker thread) is made here, so each lacks what would let the submission use memory isolated-vm
 * does not count (isolate/uncounted-memory.ts) before anything else runs in it.
 */
export function newSandboxContextSync(isolate: ivm.Isolate): ivm.Context {
  const context = isolate.createContextSync();
  context.evalSync(SETUP_SOURCE, SETUP_OPTIONS);
  return context;
}

/** As newSandboxContextSync, without blocking this thread (for isolates that run in parallel). */
export async function newSandboxContext(isolate: ivm.Isolate): Promise<ivm.Context> {
  const context = await isolate.createContext();
  await context.eval(SETUP_SOURCE, SETUP_OPTIONS);
  return context;
}
