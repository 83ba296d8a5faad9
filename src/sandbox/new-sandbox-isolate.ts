import ivm from 'isolated-vm';

/**
 * Every isolate that runs submission code; its contexts come from new-sandbox-context.ts, which takes
 * away what would use memory outside this limit (resizable buffers, WebAssembly).
 */
export function newSandboxIsolate(memoryMb: number): ivm.Isolate {
  return new ivm.Isolate({
    memoryLimit: Math.max(8, memoryMb),
    // No onCatastrophicError on purpose: when V8 cannot go on (one allocation larger than the isolate
    // could ever hold, `new Array(1e8).fill(0)`) during a sync call, isolated-vm would run the handler on
    // this very thread and hang (measured). Without one V8 prints its heap report and aborts at once;
    // the pool reads "is_heap_oom" in the process's stderr and reports memory_limit.
  });
}
