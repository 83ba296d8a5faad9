/**
 * RUNS INSIDE EACH THREAD'S ISOLATE in a controlled run, after controlled-turns.ts (stringified:
 * its parameters and captured built-ins only).
 *
 * Makes every element read and write of a typed array over a SharedArrayBuffer a scheduling step:
 * views the submission builds with the global constructors (installed by `installViews`, after the
 * grader's factory captured the plain ones) and views the grader hands it through `scheduled(view)`
 * are proxies whose element accesses take a step first; a method call on such a view (fill, set,
 * ...) is one step. A view made some other way (a constructor captured before the submission
 * loaded) still works, but its plain accesses are not steps: they happen inside the step around
 * them, which can only hide an interleaving, never invent one. controlled-atomics.ts uses
 * `sharedView` and `unwrap` to make Atomics steps too.
 */
import type { ControlledTurns } from './controlled-turns';
import type { ControlLayout } from './controlled-contract';

type AnyFunction = (...args: unknown[]) => unknown;

/** What a view over shared memory is, for the trace and for matching waits with notifies. */
export interface SharedView {
  /** Identifies the buffer across threads: its position among the grader's buffers, or a key of this thread's own. */
  key: number;
  /** Position among the grader's buffers; -1 when it is not one of them. */
  known: number;
  elementBytes: number;
  byteOffset: number;
}

export interface ControlledViews {
  /** Names the grader's buffers for the trace: position i is `buffers[i]`'s buffer. Called at each run's start. */
  setKnownBuffers(buffers: unknown[]): void;
  /** The view, as the submission should see it: every element access a step. */
  scheduled(view: unknown): unknown;
  /** Replaces the typed-array constructors: called after the grader's factory, before the submission loads. */
  installViews(): void;
  /** What a typed array over a SharedArrayBuffer is; null for anything else. */
  sharedView(view: unknown): SharedView | null;
  /** The view behind a scheduled proxy; anything else as it is. */
  unwrap(value: unknown): unknown;
  /** Element index from the buffer's start. */
  elementOf(info: SharedView, position: number): number;
  /** A value for the trace's Int32 cells. */
  asNumber(value: unknown): number;
}

export function installControlledViews(
  settings: { index: number; layout: ControlLayout },
  turns: ControlledTurns,
): ControlledViews {
  'use strict';
  const K = settings.layout.kind;
  const apply = Reflect.apply;
  const construct = Reflect.construct;
  const reflectGet = Reflect.get;
  const reflectSet = Reflect.set;
  const defineProperty = Object.defineProperty;
  const describe = Object.getOwnPropertyDescriptor;
  const getPrototypeOf = Object.getPrototypeOf;
  const setPrototypeOf = Object.setPrototypeOf;
  const NativeProxy = Proxy;
  const NativeWeakMap = WeakMap;
  const toText = String;
  const toNumber = Number;
  const isInteger = Number.isInteger;
  const typedArrayPrototype = getPrototypeOf(Int32Array.prototype) as object;
  const getter = (target: object, key: PropertyKey) => (describe(target, key) as PropertyDescriptor).get!;
  const tagOf = getter(typedArrayPrototype, Symbol.toStringTag);
  const bufferOf = getter(typedArrayPrototype, 'buffer');
  const byteOffsetOf = getter(typedArrayPrototype, 'byteOffset');
  const lengthOf = getter(typedArrayPrototype, 'length');
  const sharedByteLengthOf = getter(SharedArrayBuffer.prototype, 'byteLength');
  const mapGet = WeakMap.prototype.get as AnyFunction;
  const mapSet = WeakMap.prototype.set as AnyFunction;
  const UNKNOWN = -1;
  const ownKey = -100 - settings.index; // a buffer only this thread can see
  const ELEMENT_BYTES: Record<string, number> = {
    Int8Array: 1,
    Uint8Array: 1,
    Uint8ClampedArray: 1,
    Int16Array: 2,
    Uint16Array: 2,
    Int32Array: 4,
    Uint32Array: 4,
    Float32Array: 4,
    Float64Array: 8,
    BigInt64Array: 8,
    BigUint64Array: 8,
  };
  const targets = new NativeWeakMap<object, object>(); // proxy -> view
  // view -> what it is; a new map each run, as each run's buffers are new
  let views = new NativeWeakMap<object, SharedView | null>();
  let known: unknown[] = [];

  const unwrap = (value: unknown) =>
    (typeof value === 'object' && value !== null && (apply(mapGet, targets, [value]) as object)) || value;
  const asNumber = (value: unknown) => toNumber(value) | 0;
  const elementOf = (info: SharedView, position: number) => info.byteOffset / info.elementBytes + position;

  /** What a typed array over a SharedArrayBuffer is; null for anything else. Read through intrinsic getters. */
  function sharedView(view: unknown): SharedView | null {
    if (typeof view !== 'object' || view === null) return null;
    const cached = apply(mapGet, views, [view]) as SharedView | null | undefined;
    if (cached !== undefined) return cached;
    let info: SharedView | null = null;
    const tag = apply(tagOf, view, []) as string | undefined;
    if (tag !== undefined) {
      const buffer = apply(bufferOf, view, []);
      let shared = true;
      try {
        apply(sharedByteLengthOf, buffer, []);
      } catch {
        shared = false;
      }
      if (shared) {
        let position = UNKNOWN;
        for (let i = 0; i < known.length; i++) if (known[i] === buffer) position = i;
        info = {
          key: position === UNKNOWN ? ownKey : position,
          known: position,
          elementBytes: ELEMENT_BYTES[tag],
          byteOffset: apply(byteOffsetOf, view, []) as number,
        };
      }
    }
    apply(mapSet, views, [view, info]);
    return info;
  }

  function elementIndex(key: PropertyKey): number {
    if (typeof key !== 'string') return -1;
    const number = +key;
    return isInteger(number) && number >= 0 && toText(number) === key ? number : -1;
  }

  const handler: ProxyHandler<object> = {
    get(view, key) {
      const index = elementIndex(key);
      if (index >= 0 && index < (apply(lengthOf, view, []) as number)) {
        const info = sharedView(view) as SharedView;
        turns.step();
        const value = (view as Record<number, unknown>)[index];
        turns.record(K.read, info.known, elementOf(info, index), asNumber(value), 0);
        return value;
      }
      const value = reflectGet(view, key, view);
      if (typeof value !== 'function' || key === 'constructor') return value;
      const method = value as AnyFunction;
      return function (this: unknown, ...args: unknown[]) {
        const info = sharedView(view) as SharedView;
        turns.step();
        turns.record(K.call, info.known, 0, 0, 0);
        const result = apply(method, view, args);
        return key === 'subarray' ? scheduled(result) : result;
      };
    },
    set(view, key, value) {
      const index = elementIndex(key);
      if (index >= 0 && index < (apply(lengthOf, view, []) as number)) {
        const info = sharedView(view) as SharedView;
        turns.step();
        (view as Record<number, unknown>)[index] = value;
        turns.record(
          K.write,
          info.known,
          elementOf(info, index),
          asNumber((view as Record<number, unknown>)[index]),
          0,
        );
        return true;
      }
      return reflectSet(view, key, value, view);
    },
  };

  function scheduled(view: unknown): unknown {
    if (sharedView(view) === null) return view;
    const proxy = new NativeProxy(view as object, handler);
    apply(mapSet, targets, [proxy, view]);
    return proxy;
  }

  function controlledConstructor(Native: AnyFunction & { prototype: object }): AnyFunction {
    const Controlled = function (this: unknown, ...args: unknown[]): unknown {
      if (new.target === undefined) return apply(Native, undefined, args); // the built-in's TypeError
      const target: AnyFunction = new.target === Controlled ? Native : new.target;
      const plain: unknown[] = [];
      for (let i = 0; i < args.length; i++)
        defineProperty(plain, i, { value: unwrap(args[i]), writable: true });
      return scheduled(construct(Native, plain, target));
    };
    for (const key of ['name', 'length', 'BYTES_PER_ELEMENT'])
      defineProperty(Controlled, key, describe(Native, key) as PropertyDescriptor);
    defineProperty(Controlled, 'prototype', { value: Native.prototype, writable: false });
    setPrototypeOf(Controlled, getPrototypeOf(Native));
    defineProperty(Native.prototype, 'constructor', {
      value: Controlled,
      writable: true,
      configurable: true,
    });
    return Controlled;
  }

  const constructorNames = [
    'Int8Array',
    'Uint8Array',
    'Uint8ClampedArray',
    'Int16Array',
    'Uint16Array',
    'Int32Array',
    'Uint32Array',
    'Float32Array',
    'Float64Array',
    'BigInt64Array',
    'BigUint64Array',
  ];

  return {
    setKnownBuffers(buffers) {
      views = new NativeWeakMap<object, SharedView | null>();
      known = [];
      for (let i = 0; i < buffers.length; i++) {
        let buffer = buffers[i];
        if (apply(tagOf, buffer, []) !== undefined) buffer = apply(bufferOf, buffer, []);
        defineProperty(known, i, { value: buffer, writable: true, enumerable: true });
      }
    },
    scheduled,
    installViews() {
      const global = globalThis as Record<string, unknown>;
      // A proxy is not a view to the built-in: answer for the view behind it, as code that checks expects.
      const nativeIsView = ArrayBuffer.isView as AnyFunction;
      defineProperty(ArrayBuffer, 'isView', {
        value: function isView(value: unknown) {
          return apply(nativeIsView, ArrayBuffer, [unwrap(value)]);
        },
        writable: true,
        configurable: true,
      });
      for (const name of constructorNames) {
        const Native = global[name] as AnyFunction & { prototype: object };
        defineProperty(global, name, {
          value: controlledConstructor(Native),
          writable: true,
          configurable: true,
        });
      }
    },
    sharedView,
    unwrap,
    elementOf,
    asNumber,
  };
}
