/**
 * RUNS INSIDE EACH THREAD'S ISOLATE in a controlled run, after controlled-turns.ts (stringified:
 * its parameters and captured built-ins only).
 *
 * Makes every operation on shared memory a scheduling step:
 * - every `Atomics` function on a SharedArrayBuffer (wait and notify are modelled by the turns);
 * - every element read and write of a typed array over a SharedArrayBuffer: views the submission
 *   builds with the global constructors (installed by `installViews`, after the grader's factory
 *   captured the plain ones) and views the grader hands it through `scheduled(view)` are proxies
 *   whose element accesses take a step first; a method call on such a view (fill, set, ...) is one step.
 * A view made some other way (a constructor captured before the submission loaded) still works, but
 * its plain accesses are not steps: they happen inside the step around them, which can only hide an
 * interleaving, never invent one.
 */
import type { ControlledTurns } from './controlled-turns';
import type { ControlLayout } from './controlled-contract';

type AnyFunction = (...args: unknown[]) => unknown;

export interface ControlledGlobals {
  /** Names the grader's buffers for the trace: position i is `buffers[i]`'s buffer. */
  setKnownBuffers(buffers: unknown[]): void;
  /** The view, as the submission should see it: every element access a step. */
  scheduled(view: unknown): unknown;
  /** A labelled step of the grader's own code, in the trace as `point`. */
  point(code: number, arg: number): void;
  /** Replaces the typed-array constructors: called after the grader's factory, before the submission loads. */
  installViews(): void;
}

interface SharedView {
  key: number;
  known: number;
  elementBytes: number;
  byteOffset: number;
}

export function installControlledGlobals(
  settings: { index: number; layout: ControlLayout },
  turns: ControlledTurns,
): ControlledGlobals {
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
  const asIntN = BigInt.asIntN as AnyFunction;
  const truncate = Math.trunc;
  const typedArrayPrototype = getPrototypeOf(Int32Array.prototype) as object;
  const getter = (target: object, key: PropertyKey) => (describe(target, key) as PropertyDescriptor).get!;
  const tagOf = getter(typedArrayPrototype, Symbol.toStringTag);
  const bufferOf = getter(typedArrayPrototype, 'buffer');
  const byteOffsetOf = getter(typedArrayPrototype, 'byteOffset');
  const lengthOf = getter(typedArrayPrototype, 'length');
  const sharedByteLengthOf = getter(SharedArrayBuffer.prototype, 'byteLength');
  const mapGet = WeakMap.prototype.get as AnyFunction;
  const mapSet = WeakMap.prototype.set as AnyFunction;
  const native = Atomics as unknown as Record<string, AnyFunction>;
  const nativeAtomics: Record<string, AnyFunction> = {};
  for (const name of [
    'add',
    'and',
    'compareExchange',
    'exchange',
    'load',
    'or',
    'store',
    'sub',
    'xor',
    'wait',
    'notify',
  ])
    nativeAtomics[name] = native[name];
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
  const asNumber = (value: unknown) =>
    typeof value === 'bigint' ? toNumber(value) | 0 : toNumber(value) | 0;

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

  const elementOf = (info: SharedView, position: number) => info.byteOffset / info.elementBytes + position;
  /** The index as the built-in converts it (ToIndex's ToNumber, once): the built-in then range-checks it. */
  const positionOf = (index: unknown) => {
    const number = +(index as number);
    return number !== number ? 0 : truncate(number) + 0;
  };

  // Fixed parameters, no spreading: the submission may have replaced Array.prototype[Symbol.iterator].
  function atomicsOperation(name: string, kind: number): AnyFunction {
    const operation = nativeAtomics[name];
    return function (this: unknown, array: unknown, index: unknown, first: unknown, second: unknown) {
      const view = unwrap(array);
      const info = sharedView(view);
      if (info === null) return apply(operation, native, [view, index, first, second]);
      const position = positionOf(index);
      turns.step();
      const result = apply(operation, native, [view, position, first, second]);
      const after = kind === K.load ? result : apply(nativeAtomics.load, native, [view, position]);
      turns.record(kind, info.known, elementOf(info, position), asNumber(result), asNumber(after));
      return result;
    };
  }

  const controlledAtomics: Record<string, AnyFunction> = {
    add: atomicsOperation('add', K.add),
    and: atomicsOperation('and', K.and),
    compareExchange: atomicsOperation('compareExchange', K.compareExchange),
    exchange: atomicsOperation('exchange', K.exchange),
    load: atomicsOperation('load', K.load),
    or: atomicsOperation('or', K.or),
    store: atomicsOperation('store', K.store),
    sub: atomicsOperation('sub', K.sub),
    xor: atomicsOperation('xor', K.xor),
    wait(array: unknown, index: unknown, value: unknown, timeout: unknown) {
      const view = unwrap(array);
      const info = sharedView(view);
      const tag = apply(tagOf, view, []);
      if (info === null || (tag !== 'Int32Array' && tag !== 'BigInt64Array'))
        return apply(nativeAtomics.wait, native, [view, index, value, timeout]); // the built-in's TypeError
      const position = positionOf(index);
      turns.step();
      const current = apply(nativeAtomics.load, native, [view, position]); // RangeError for a bad index
      const expected = tag === 'BigInt64Array' ? apply(asIntN, BigInt, [64, value]) : toNumber(value) | 0;
      const limit = toNumber(timeout);
      const timeoutMs = limit !== limit ? Infinity : limit > 0 ? limit : 0;
      const element = elementOf(info, position);
      if (current !== expected) {
        turns.record(K.waitNotEqual, info.known, element, asNumber(current), asNumber(expected));
        return 'not-equal';
      }
      if (timeoutMs === 0) {
        turns.record(K.timedOut, info.known, element, asNumber(current), 0);
        return 'timed-out';
      }
      turns.record(
        K.wait,
        info.known,
        element,
        asNumber(current),
        timeoutMs === Infinity ? -1 : truncate(timeoutMs),
      );
      const result = turns.sleep(
        info.key,
        element * info.elementBytes,
        info.elementBytes,
        asNumber(expected),
        timeoutMs,
      );
      turns.record(result === 'ok' ? K.woken : K.timedOut, info.known, element, asNumber(expected), 0);
      return result;
    },
    notify(array: unknown, index: unknown, count: unknown) {
      const view = unwrap(array);
      const info = sharedView(view);
      if (info === null) return apply(nativeAtomics.notify, native, [view, index, count]);
      const position = positionOf(index);
      turns.step();
      apply(nativeAtomics.load, native, [view, position]); // the built-in's RangeError for a bad index
      const limit = count === undefined ? Infinity : toNumber(count);
      const most = limit !== limit || limit < 0 ? 0 : truncate(limit);
      const element = elementOf(info, position);
      const woken = turns.wake(info.key, element * info.elementBytes, most);
      turns.record(K.notify, info.known, element, woken, most === Infinity ? -1 : truncate(most));
      return woken;
    },
  };
  for (const name in controlledAtomics)
    defineProperty(Atomics, name, {
      value: controlledAtomics[name],
      writable: true,
      enumerable: false,
      configurable: true,
    });

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
    point(code, arg) {
      turns.step();
      turns.record(K.point, -1, code, arg, 0);
    },
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
  };
}
