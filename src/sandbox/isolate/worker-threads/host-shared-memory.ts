/**
 * RUNS INSIDE EACH THREAD'S ISOLATE (worker_threads runtime), before the submission loads.
 *
 * Every SharedArrayBuffer of a thread is allocated by the HOST. In isolated-vm 5.0.4 the memory of
 * a buffer an isolate allocates is freed through that isolate's allocator, which writes into the
 * isolate's (then freed) environment: a buffer that outlives its isolate (held by another thread,
 * or by a copy on the host that Node collects later) corrupts the sandbox process's heap when it
 * is finally freed (measured: segfaults, V8 check failures in unrelated isolates, deadlocks).
 * Threads hand buffers to each other all the time, so none may come from an isolate's allocator.
 *
 * `SharedArrayBuffer` keeps its shape (`new` only, length 1, the built-in prototype, instanceof,
 * subclasses, options ignored: every buffer is fixed-length, see ../uncounted-memory.ts); `slice` is rebuilt on it, because the built-in one falls back to
 * the isolate's own allocator when `constructor` is removed from a buffer. The host answers null
 * when the run's budget for shared memory is spent (and ends the run as memory_limit).
 * Stringified: it may use only its parameter and built-ins, captured first.
 */
type Allocate = (byteLength: number) => SharedArrayBuffer | null;

export function installHostSharedMemory(allocate: Allocate): void {
  'use strict';
  const NativeSharedArrayBuffer = SharedArrayBuffer;
  const prototype = NativeSharedArrayBuffer.prototype;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const setPrototypeOf = Object.setPrototypeOf;
  const describeProperty = Object.getOwnPropertyDescriptor;
  const toNumber = Number;
  const truncate = Math.trunc;
  const max = Math.max;
  const min = Math.min;
  const NativeUint8Array = Uint8Array;
  const typedArraySet = Object.getPrototypeOf(Uint8Array.prototype).set as (
    source: ArrayLike<number>,
  ) => void;
  const byteLengthOf = describeProperty(prototype, 'byteLength')!.get!;
  const NativeRangeError = RangeError;
  const NativeTypeError = TypeError;
  const MAX_INDEX = 2 ** 53 - 1;

  function toIndex(value: unknown): number {
    const number = value === undefined ? 0 : toNumber(value);
    const index = number !== number ? 0 : truncate(number);
    if (index < 0 || index > MAX_INDEX) throw new NativeRangeError('Invalid array buffer length');
    return index + 0; // -0 becomes 0
  }

  function allocateShared(byteLength: number): SharedArrayBuffer {
    const buffer = allocate(byteLength);
    if (buffer === null) throw new NativeRangeError('Array buffer allocation failed');
    apply(byteLengthOf, buffer, []); // throws unless it is a real SharedArrayBuffer
    return buffer;
  }

  const HostSharedArrayBuffer = function SharedArrayBuffer(
    this: unknown,
    length: unknown,
  ): SharedArrayBuffer {
    if (new.target === undefined) throw new NativeTypeError("Constructor SharedArrayBuffer requires 'new'");
    const buffer = allocateShared(toIndex(length));
    if (new.target !== (HostSharedArrayBuffer as unknown))
      setPrototypeOf(buffer, new.target.prototype as object);
    return buffer;
  } as unknown as SharedArrayBufferConstructor;

  function slice(this: SharedArrayBuffer, start?: unknown, end?: unknown): SharedArrayBuffer {
    const length = apply(byteLengthOf, this, []) as number;
    const relative = (value: unknown, fallback: number) => {
      if (value === undefined) return fallback;
      const number = truncate(toNumber(value)) || 0;
      return number < 0 ? max(length + number, 0) : min(number, length);
    };
    const from = relative(start, 0);
    const to = relative(end, length);
    const size = max(to - from, 0);
    const copy = allocateShared(size);
    apply(typedArraySet, new NativeUint8Array(copy), [new NativeUint8Array(this, from, size)]);
    return copy;
  }

  const hidden = (value: unknown) => ({ value, writable: true, enumerable: false, configurable: true });
  defineProperty(HostSharedArrayBuffer, 'prototype', { value: prototype, writable: false });
  defineProperty(HostSharedArrayBuffer, 'length', { value: 1, configurable: true });
  defineProperty(HostSharedArrayBuffer, Symbol.species, {
    get(this: unknown) {
      return this;
    },
    configurable: true,
  });
  // Once replaced here, the built-in constructor (which allocates in the isolate) is out of reach.
  defineProperty(prototype, 'constructor', hidden(HostSharedArrayBuffer));
  defineProperty(prototype, 'slice', hidden(slice));
  defineProperty(globalThis, 'SharedArrayBuffer', hidden(HostSharedArrayBuffer));
}
