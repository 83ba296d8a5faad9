/**
 * RUNS INSIDE EACH THREAD'S ISOLATE, first of all, before the grader's thread code and the submission.
 *
 * Stringified and evaluated in a fresh context, so it may use only its parameters and built-ins,
 * which it captures first. It replaces `Atomics.wait` and `Atomics.notify` with wrappers of the same
 * shape that publish, into `settings.evidence` (a SharedArrayBuffer only this closure and the host
 * hold), how long the thread is blocked, where (buffer, cell, expected value, timeout), and how many
 * wake-ups it gave and got. It decides nothing: the host's deadlock watchdog reads the evidence.
 *
 * The submission may call wait with anything (non typed arrays, BigInt64Array, objects whose
 * valueOf has side effects, proxies). The wrapper reads the array only through the intrinsic
 * %TypedArray% getters (no trap, no user getter runs) and converts index, value and timeout itself,
 * once each and in the order the native wait would; then it hands the native wait the converted
 * primitives. So user code runs exactly as often as with the built-in, and every error the built-in
 * would throw is thrown by the built-in itself.
 */
import type { ThreadBootstrapSettings } from './thread-contract';

type AnyFunction = (...args: unknown[]) => unknown;

/** What the rest of the bootstrap needs from the wrappers. */
export interface AtomicsEvidence {
  /** Names the grader's buffers: position i in the evidence is `buffers[i]` (null when unknown). */
  setKnownBuffers(buffers: unknown[]): void;
  /** The start barrier: counts this thread in, then sleeps until go; native calls, kept out of the evidence. */
  arriveAndWait(cells: Int32Array, arrived: number, go: number): void;
}

interface WaitTarget {
  elementBytes: number;
  buffer: unknown;
  byteOffset: number;
  length: number;
}

export function installAtomicsEvidence(settings: ThreadBootstrapSettings): AtomicsEvidence {
  'use strict'; // strict functions hide `caller`, keeping the evidence buffer unreachable
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const describe = Object.getOwnPropertyDescriptor;
  const typedArrayPrototype = Object.getPrototypeOf(Int32Array.prototype) as object;
  const getter = (target: object, key: PropertyKey) => (describe(target, key) as PropertyDescriptor).get!;
  const tagOf = getter(typedArrayPrototype, Symbol.toStringTag);
  const bufferOf = getter(typedArrayPrototype, 'buffer');
  const byteOffsetOf = getter(typedArrayPrototype, 'byteOffset');
  const lengthOf = getter(typedArrayPrototype, 'length');
  const sharedByteLengthOf = getter(SharedArrayBuffer.prototype, 'byteLength');
  const dataViewBufferOf = getter(DataView.prototype, 'buffer');
  const nativeWait = Atomics.wait as AnyFunction;
  const nativeNotify = Atomics.notify as AnyFunction;
  const NativeTypeError = TypeError;
  const nativeAdd = Atomics.add as AnyFunction;
  const asIntN = BigInt.asIntN as AnyFunction;
  const toNumber = Number;
  const truncate = Math.trunc;
  const dateNow = Date.now;
  const NativeDate = Date;
  const slot = settings.evidenceSlots;
  const sequence = new Int32Array(settings.evidence, 0, 1);
  const evidence = new Float64Array(settings.evidence);
  let known: unknown[] = [];

  const now = () => apply(dateNow, NativeDate, []) as number;
  // Seqlock: odd while writing, so the host retries instead of reading half an update.
  const beginWrite = () => apply(nativeAdd, Atomics, [sequence, 0, 1]);
  const endWrite = () => apply(nativeAdd, Atomics, [sequence, 0, 1]);

  /** Int32Array or BigInt64Array on a SharedArrayBuffer, read through intrinsic getters; else undefined. */
  function waitTarget(candidate: unknown): WaitTarget | undefined {
    const tag = apply(tagOf, candidate, []); // undefined, never a throw, for anything but a typed array
    const elementBytes = tag === 'Int32Array' ? 4 : tag === 'BigInt64Array' ? 8 : 0;
    if (elementBytes === 0) return undefined;
    const buffer = apply(bufferOf, candidate, []);
    try {
      apply(sharedByteLengthOf, buffer, []);
    } catch {
      return undefined; // not shared: the native wait throws a TypeError
    }
    const byteOffset = apply(byteOffsetOf, candidate, []) as number;
    return { elementBytes, buffer, byteOffset, length: apply(lengthOf, candidate, []) as number };
  }

  function knownPosition(buffer: unknown): number {
    for (let i = 0; i < known.length; i++) if (known[i] === buffer) return i;
    return -1;
  }

  // Same name, length and property shape as the built-in.
  function wait(typedArray: unknown, index: unknown, value: unknown, timeout: unknown): string {
    const target = waitTarget(typedArray);
    // The native wait rejects the array before it converts anything else.
    if (target === undefined)
      return apply(nativeWait, Atomics, [typedArray, index, value, timeout]) as string;
    const number = +(index as number); // ToNumber, as ToIndex does: the one call of a valueOf
    const position = number !== number ? 0 : truncate(number) + 0;
    if (!(position >= 0 && position < target.length))
      return apply(nativeWait, Atomics, [typedArray, position, value, timeout]) as string; // RangeError
    const expected = target.elementBytes === 8 ? apply(asIntN, BigInt, [64, value]) : +(value as number) | 0;
    const timeoutMs = +(timeout as number);
    const since = now();
    beginWrite();
    evidence[slot.siteBuffer] = knownPosition(target.buffer);
    evidence[slot.siteIndex] = target.byteOffset / target.elementBytes + position;
    evidence[slot.siteExpected] = toNumber(expected);
    evidence[slot.siteTimeoutMs] = timeoutMs !== timeoutMs ? Infinity : timeoutMs > 0 ? timeoutMs : 0;
    evidence[slot.siteElementBytes] = target.elementBytes;
    evidence[slot.waitingSince] = since;
    endWrite();
    let result: unknown;
    try {
      result = apply(nativeWait, Atomics, [typedArray, position, expected, timeoutMs]);
      return result as string;
    } finally {
      beginWrite();
      evidence[slot.blockedMs] += now() - since;
      evidence[slot.waits] += 1;
      if (result === 'ok') evidence[slot.wokenByNotify] += 1;
      evidence[slot.waitingSince] = 0;
      endWrite();
    }
  }

  function notify(typedArray: unknown, index: unknown, count: unknown): number {
    const woke = apply(nativeNotify, Atomics, [typedArray, index, count]) as number;
    if (woke > 0) {
      beginWrite();
      evidence[slot.wokeOthers] += woke;
      endWrite();
    }
    return woke;
  }

  defineProperty(Atomics, 'wait', { value: wait, writable: true, enumerable: false, configurable: true });
  defineProperty(Atomics, 'notify', { value: notify, writable: true, enumerable: false, configurable: true });
  // The grader calls the exports synchronously and the thread has no event loop after that call, so
  // a promise from waitAsync could never settle (and the built-in's timeout never fires in an isolate;
  // in isolated-vm 5.0.4 it aborted the process). A clear error instead.
  function waitAsync(): never {
    throw new NativeTypeError(
      'Atomics.waitAsync is not available in a thread the grader started: the grader calls your exports ' +
        'synchronously there, so a waiting thread blocks with Atomics.wait',
    );
  }
  defineProperty(Atomics, 'waitAsync', {
    value: waitAsync,
    writable: true,
    enumerable: false,
    configurable: true,
  });

  /** The buffer behind a SharedArrayBuffer, a typed array or a DataView the grader handed over. */
  function sharedBufferOf(value: unknown): unknown {
    try {
      apply(sharedByteLengthOf, value, []);
      return value;
    } catch {
      // not a SharedArrayBuffer itself
    }
    if (apply(tagOf, value, []) !== undefined) return apply(bufferOf, value, []);
    try {
      return apply(dataViewBufferOf, value, []);
    } catch {
      return null;
    }
  }

  return {
    setKnownBuffers(buffers) {
      // Called after the submission loaded: defineProperty, so a setter it put on Array.prototype never runs.
      known = [];
      for (let i = 0; i < buffers.length; i++)
        defineProperty(known, i, { value: sharedBufferOf(buffers[i]), writable: true, enumerable: true });
    },
    arriveAndWait(cells, arrived, go) {
      apply(nativeAdd, Atomics, [cells, arrived, 1]);
      apply(nativeNotify, Atomics, [cells, arrived]);
      apply(nativeWait, Atomics, [cells, go, 0]);
    },
  };
}
