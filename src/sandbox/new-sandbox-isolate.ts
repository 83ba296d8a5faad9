import { setFlagsFromString } from 'node:v8';
import ivm from 'isolated-vm';

let resizableBuffersOff = false;

/**
 * Every isolate that runs submission code. Resizable ArrayBuffers and growable SharedArrayBuffers
 * commit their memory outside the allocator isolated-vm counts against an isolate's limit:
 * `new ArrayBuffer(8, { maxByteLength: 2.5e8 }).resize(2.5e8)`, four times, filled 1 GB in a 64 MB
 * isolate (measured: isolated-vm 5.0.4, Node 20). With the V8 feature off before an isolate is made,
 * its contexts have no `resize` or `grow` and ignore `maxByteLength`; the host's own context keeps them.
 */
export function newSandboxIsolate(memoryMb: number): ivm.Isolate {
  if (!resizableBuffersOff) {
    setFlagsFromString('--no-harmony-rab-gsab');
    resizableBuffersOff = true;
  }
  return new ivm.Isolate({
    memoryLimit: Math.max(8, memoryMb),
    // No onCatastrophicError on purpose: when V8 cannot go on (one allocation larger than the isolate
    // could ever hold, `new Array(1e8).fill(0)`) during a sync call, isolated-vm would run the handler on
    // this very thread and hang (measured). Without one V8 prints its heap report and aborts at once;
    // the pool reads "is_heap_oom" in the process's stderr and reports memory_limit.
  });
}
