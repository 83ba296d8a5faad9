import ivm from 'isolated-vm';
import { sandboxMemoryCeiling } from './sandbox-memory-ceiling';

/**
 * Every isolate that runs submission code; its contexts come from new-sandbox-context.ts, which takes
 * away what would use memory outside this limit (resizable buffers, WebAssembly). Its limit also
 * raises the process's memory ceiling (sandbox-memory-ceiling.ts), which stops what the limit does not.
 */
export function newSandboxIsolate(memoryMb: number): ivm.Isolate {
  const isolate = new ivm.Isolate({
    memoryLimit: Math.max(8, memoryMb),
    // No onCatastrophicError on purpose: when V8 cannot go on (it ran out of heap even after
    // isolated-vm raised the limit by 1 GB) during a sync call, isolated-vm would run the handler on this
    // very thread and hang (measured). Without one V8 prints its heap report and aborts; the pool reads
    // "is_heap_oom" in the process's stderr and reports memory_limit.
  });
  sandboxMemoryCeiling.isolateCreated(isolate, memoryMb);
  return isolate;
}
