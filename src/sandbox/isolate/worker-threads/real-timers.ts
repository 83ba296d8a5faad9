/**
 * RUNS INSIDE EACH THREAD'S ISOLATE (worker_threads runtime), before the submission loads.
 *
 * setTimeout / setInterval / setImmediate and node:timers/promises on REAL time: the host keeps a
 * Node timer per timer and delivers a `timer` event when it fires; the callback runs then, as its
 * own macrotask. Handles behave like Node's (ref/unref/hasRef/refresh, a number via
 * Symbol.toPrimitive); an unref'd timer does not keep a worker alive. Stringified: it may use only
 * its parameter and built-ins, captured first.
 */
import type { HostOperations, TimerKind } from './worker-thread-contract';

type Callback = (...args: unknown[]) => unknown;
type Send = <K extends 'timer-set' | 'timer-clear' | 'timer-ref'>(op: K, ...args: HostOperations[K]) => void;

export interface ThreadTimers {
  globals: Record<string, Callback>;
  promises: Record<string, Callback>;
  /** Runs a fired timer's callback; a throw propagates to the dispatch (an uncaught exception). */
  fire(timerId: number): void;
}

export function createThreadTimers(send: Send): ThreadTimers {
  'use strict';
  const apply = Reflect.apply;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const NativePromise = Promise;
  const NativeTypeError = TypeError;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  interface Entry {
    kind: TimerKind;
    delay: unknown;
    callback: Callback;
    args: unknown[];
    handle: object;
    refed: boolean;
  }
  const entries: Record<number, Entry> = createObject(null);
  const idByHandle = new WeakMap<object, number>();
  let lastTimerId = 0;

  const entryOf = (handle: unknown): Entry | undefined => {
    const timerId =
      typeof handle === 'object' && handle !== null ? apply(weakMapGet, idByHandle, [handle]) : handle;
    return typeof timerId === 'number' ? entries[timerId] : undefined;
  };
  const idOf = (handle: object) => apply(weakMapGet, idByHandle, [handle]) as number;

  function setRef(handle: object, refed: boolean): object {
    const entry = entryOf(handle);
    if (entry !== undefined && entry.refed !== refed) {
      entry.refed = refed;
      send('timer-ref', idOf(handle), refed);
    }
    return handle;
  }

  const handlePrototype = freeze({
    ref(this: object) {
      return setRef(this, true);
    },
    unref(this: object) {
      return setRef(this, false);
    },
    hasRef(this: object) {
      return entryOf(this)?.refed ?? false;
    },
    refresh(this: object) {
      const entry = entryOf(this);
      if (entry !== undefined) send('timer-set', idOf(this), entry.kind, entry.delay);
      return this;
    },
    close(this: object) {
      clear(this);
      return this;
    },
    [Symbol.toPrimitive](this: object) {
      return idOf(this);
    },
  });

  function schedule(kind: TimerKind, callback: unknown, delay: unknown, args: unknown[]): object {
    if (typeof callback !== 'function')
      throw new NativeTypeError(
        'The "callback" argument must be of type function. Received ' +
          (callback === null ? 'null' : typeof callback),
      );
    const timerId = ++lastTimerId;
    const handle = createObject(handlePrototype) as object;
    apply(weakMapSet, idByHandle, [handle, timerId]);
    entries[timerId] = { kind, delay, callback: callback as Callback, args, handle, refed: true };
    send('timer-set', timerId, kind, delay);
    return handle;
  }

  function clear(handle: unknown): void {
    const entry = entryOf(handle);
    if (entry === undefined) return;
    const timerId = apply(weakMapGet, idByHandle, [entry.handle]) as number;
    delete entries[timerId];
    send('timer-clear', timerId);
  }

  const globals: Record<string, Callback> = {
    setTimeout: (callback: unknown, delay?: unknown, ...args: unknown[]) =>
      schedule('timeout', callback, delay, args),
    setInterval: (callback: unknown, delay?: unknown, ...args: unknown[]) =>
      schedule('interval', callback, delay, args),
    setImmediate: (callback: unknown, ...args: unknown[]) => schedule('immediate', callback, 0, args),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
  };

  const refFrom = (options: unknown) =>
    !(typeof options === 'object' && options !== null && (options as { ref?: unknown }).ref === false);
  const promises: Record<string, Callback> = {
    setTimeout: (delay?: unknown, value?: unknown, options?: unknown) =>
      new NativePromise((resolve) => {
        const handle = schedule('timeout', resolve, delay, [value]);
        if (!refFrom(options)) setRef(handle, false);
      }),
    setImmediate: (value?: unknown, options?: unknown) =>
      new NativePromise((resolve) => {
        const handle = schedule('immediate', resolve, 0, [value]);
        if (!refFrom(options)) setRef(handle, false);
      }),
  };

  return {
    globals,
    promises,
    fire(timerId) {
      const entry = entries[timerId];
      if (entry === undefined) return;
      if (entry.kind !== 'interval') delete entries[timerId];
      apply(entry.callback, entry.handle, entry.args);
    },
  };
}
