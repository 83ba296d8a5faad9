/**
 * RUNS INSIDE EACH THREAD'S ISOLATE in a controlled run, after controlled-turns.ts and
 * controlled-views.ts (stringified: its parameters and captured built-ins only).
 *
 * Replaces every `Atomics` function with one that takes a scheduling step first when the array is
 * over a SharedArrayBuffer and records what it did. `wait` and `notify` are modelled by the turns:
 * a wait whose value matches sleeps until a notify on the same cell (or its timeout on the virtual
 * clock); a notify wakes the sleepers that slept first. Validation and conversions stay the
 * built-in's: a bad call throws what the built-in throws.
 */
import type { ControlledTurns } from './controlled-turns';
import type { ControlledViews } from './controlled-views';
import type { ControlLayout } from './controlled-contract';

type AnyFunction = (...args: unknown[]) => unknown;

export function installControlledAtomics(
  settings: { layout: ControlLayout },
  turns: ControlledTurns,
  views: ControlledViews,
): void {
  'use strict';
  const K = settings.layout.kind;
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const describe = Object.getOwnPropertyDescriptor;
  const toNumber = Number;
  const asIntN = BigInt.asIntN as AnyFunction;
  const truncate = Math.trunc;
  const typedArrayPrototype = Object.getPrototypeOf(Int32Array.prototype) as object;
  const tagOf = (describe(typedArrayPrototype, Symbol.toStringTag) as PropertyDescriptor).get!;
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
  const { sharedView, unwrap, elementOf, asNumber } = views;

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
}
