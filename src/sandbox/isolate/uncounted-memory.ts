/**
 * RUNS INSIDE EVERY SANDBOX CONTEXT, first: before the runtime, the grader's code and the submission
 * (src/sandbox/new-sandbox-context.ts runs it in every context it makes).
 *
 * Takes away the built-ins whose memory isolated-vm does not count against the isolate's limit
 * (measured, isolated-vm 7.0.2 on Node 24 and 26: each filled 1 GB in a 64 MB isolate, RSS
 * 49 -> 1,005 MB, `externally_allocated_size` 0):
 * - `resize()` of a resizable ArrayBuffer, `grow()` of a growable SharedArrayBuffer, and
 *   `transfer(n)` of a resizable ArrayBuffer (its copy is resizable too). V8 no longer has the
 *   `--harmony-rab-gsab` flag that turned the feature off, so the constructors here ignore
 *   `maxByteLength`, as V8 did with the feature off: every buffer is fixed-length. `transfer(n)` and
 *   `transferToFixedLength(n)` of a fixed-length buffer stay: their memory is counted (250 MB is refused
 *   in a 64 MB isolate with "Array buffer allocation failed").
 * - `WebAssembly.Memory`.
 * The built-ins are held only by this closure, which the submission cannot reach: it cannot put
 * them back. Stringified: it may use only built-ins, captured before anything else runs.
 */
export function removeUncountedMemory(): void {
  'use strict';
  const construct = Reflect.construct;
  const defineProperty = Object.defineProperty;
  const globalObject = globalThis as Record<string, unknown>;
  const hidden = (value: unknown) => ({ value, writable: true, enumerable: false, configurable: true });

  const fixedLength = (name: 'ArrayBuffer' | 'SharedArrayBuffer', growMethod: 'resize' | 'grow') => {
    type BufferConstructor = new (length?: number) => object;
    const Native = globalObject[name] as BufferConstructor;
    if (typeof Native !== 'function') return;
    // A proxy keeps everything else of the built-in (its name and length, `isView`, the species,
    // `instanceof`, subclasses, "requires 'new'", how the length is read); only the options are dropped.
    const FixedLength: BufferConstructor = new Proxy(Native, {
      construct(target, args: unknown[], newTarget): object {
        return construct(
          target,
          [args[0]],
          newTarget === FixedLength ? target : (newTarget as BufferConstructor),
        );
      },
    });
    const prototype = Native.prototype as Record<string, unknown>;
    delete prototype[growMethod];
    defineProperty(prototype, 'constructor', hidden(FixedLength));
    defineProperty(globalObject, name, hidden(FixedLength));
  };
  fixedLength('ArrayBuffer', 'resize');
  fixedLength('SharedArrayBuffer', 'grow');
  delete globalObject.WebAssembly;
}
