/**
 * RUNS INSIDE THE ISOLATE, next to the student's code, before it loads.
 *
 * This function is stringified and evaluated in a fresh context, so it may use only its parameter
 * and the language's built-ins, which it captures first: a submission that later replaces
 * `Promise.prototype.then` or `Array.prototype.push` cannot change what the runtime does. It keeps
 * no verdict-relevant state: it forwards what happens to the host, which keeps the evidence.
 */
import type { ExportArgument, IsolateDriver, RuntimeHost, ThrownError } from './isolate-contract';

type Callback = (...args: unknown[]) => unknown;
interface TimerEntry {
  callback: Callback;
  args: unknown[];
  repeat: boolean;
}
interface Settlers {
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

export function installIsolateRuntime(host: RuntimeHost): IsolateDriver {
  'use strict'; // strict functions hide `caller` and `this` from stack inspection, keeping `host` unreachable
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const NativePromise = Promise;
  const nativeThen = Promise.prototype.then;
  const promiseResolve = Promise.resolve;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const jsonStringify = JSON.stringify;
  const toText = String;
  const globalObject = globalThis as Record<string, unknown>;
  const resolvedPromise = apply(promiseResolve, NativePromise, []) as Promise<void>;

  const timersById: Record<number, TimerEntry> = createObject(null);
  const settlersByCall: Record<number, Settlers> = createObject(null);
  const timerIdByHandle = new WeakMap<object, number>();
  const trackingByPromise = new WeakMap<object, { trackId: number; callIndex: number }>();
  const loadedModule: { exports: Record<string, unknown> } = { exports: {} };

  function formatValue(value: unknown): string {
    try {
      if (typeof value === 'string') return value;
      if (typeof value === 'bigint') return toText(value) + 'n';
      if (typeof value === 'function') return '[Function: ' + (toText(value.name) || 'anonymous') + ']';
      if (value instanceof NativeError) return toText(value.stack || value.name + ': ' + value.message);
      if (typeof value === 'object' && value !== null) return toText(jsonStringify(value));
      return toText(value);
    } catch {
      return '[unprintable value]';
    }
  }

  function describeThrown(error: unknown): ThrownError {
    try {
      if (error instanceof NativeError)
        return { message: toText(error.name) + ': ' + toText(error.message), stack: toText(error.stack) };
    } catch {
      // fall through: a hostile getter on the error
    }
    return { message: 'Uncaught ' + formatValue(error) };
  }

  function messageOf(reason: unknown): string {
    try {
      if (reason instanceof NativeError) return toText(reason.message);
    } catch {
      // fall through
    }
    return formatValue(reason);
  }

  function print(args: unknown[]): void {
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i === 0 ? '' : ' ') + formatValue(args[i]);
    host.log(line);
  }

  const timerHandlePrototype = freeze({
    ref() {
      return this;
    },
    unref() {
      return this;
    },
    hasRef() {
      return true;
    },
    [Symbol.toPrimitive]() {
      return apply(weakMapGet, timerIdByHandle, [this]);
    },
  });

  function schedule(
    kind: 'timeout' | 'interval' | 'immediate',
    callback: unknown,
    delay: unknown,
    args: unknown[],
  ): object {
    if (typeof callback !== 'function')
      throw new NativeTypeError(
        'The "callback" argument must be of type function. Received ' + formatValue(callback),
      );
    const timerId = kind === 'immediate' ? host.setImmediate() : host.setTimer(delay, kind === 'interval');
    timersById[timerId] = { callback: callback as Callback, args, repeat: kind === 'interval' };
    const handle = createObject(timerHandlePrototype) as object;
    apply(weakMapSet, timerIdByHandle, [handle, timerId]);
    return handle;
  }

  function clear(handle: unknown): void {
    const timerId =
      typeof handle === 'object' && handle !== null ? apply(weakMapGet, timerIdByHandle, [handle]) : handle;
    if (typeof timerId !== 'number' || timersById[timerId] === undefined) return;
    delete timersById[timerId];
    host.clearTimer(timerId);
  }

  function reportUncaught(error: unknown): void {
    host.uncaught(describeThrown(error));
  }

  /** Follows Node: a promise is handled once anything calls `then` on it; a chain without a rejection handler is tracked further. */
  class ServicePromise<T> extends NativePromise<T> {
    constructor(executor: (resolve: (value: T) => void, reject: (reason: unknown) => void) => void) {
      super(executor);
    }
    then(onFulfilled?: unknown, onRejected?: unknown): Promise<never> {
      const tracking = apply(weakMapGet, trackingByPromise, [this]);
      const derived = apply(nativeThen, this, [onFulfilled, onRejected]) as Promise<never>;
      if (tracking !== undefined) {
        host.markHandled(tracking.trackId);
        if (typeof onRejected !== 'function') track(derived, tracking.callIndex);
      }
      return derived;
    }
  }

  function track(promise: Promise<unknown>, callIndex: number): void {
    const trackId = host.track(callIndex);
    apply(weakMapSet, trackingByPromise, [promise, { trackId, callIndex }]);
    apply(nativeThen, promise, [undefined, () => host.noteRejected(trackId)]);
  }

  function makeService(name: string): Callback {
    const service = function (...args: unknown[]) {
      const callIndex = host.callService(name, args);
      let settlers: Settlers | undefined;
      const promise = new ServicePromise((resolve, reject) => {
        settlers = { resolve, reject };
      });
      settlersByCall[callIndex] = settlers!;
      track(promise, callIndex);
      return promise;
    };
    defineProperty(service, 'name', { value: name });
    return service;
  }

  const timersPromises = freeze({
    setTimeout: (delay?: unknown, value?: unknown) =>
      new NativePromise((resolve) => schedule('timeout', resolve, delay, [value])),
    setImmediate: (value?: unknown) =>
      new NativePromise((resolve) => schedule('immediate', resolve, 0, [value])),
  });
  const workerThreads = freeze({
    isMainThread: true,
    threadId: 0,
    parentPort: null,
    workerData: null,
    Worker: function Worker() {
      throw new NativeError('threads are not available in this exercise');
    },
  });

  function builtinModule(specifier: unknown): unknown {
    if (specifier === 'node:timers/promises') return timersPromises;
    if (specifier === 'node:worker_threads') return workerThreads;
    throw new NativeError(
      "Cannot use module '" +
        toText(specifier) +
        "': only node:timers/promises and node:worker_threads may be imported",
    );
  }

  const consoleObject: Record<string, Callback> = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'])
    consoleObject[level] = (...args) => print(args);
  const globals: Record<string, unknown> = {
    console: freeze(consoleObject),
    setTimeout: (callback: unknown, delay?: unknown, ...args: unknown[]) =>
      schedule('timeout', callback, delay, args),
    setInterval: (callback: unknown, delay?: unknown, ...args: unknown[]) =>
      schedule('interval', callback, delay, args),
    setImmediate: (callback: unknown, ...args: unknown[]) => schedule('immediate', callback, 0, args),
    clearTimeout: clear,
    clearInterval: clear,
    clearImmediate: clear,
    queueMicrotask(callback: unknown) {
      if (typeof callback !== 'function')
        throw new NativeTypeError('The "callback" argument must be of type function');
      apply(nativeThen, resolvedPromise, [
        () => {
          try {
            apply(callback, undefined, []);
          } catch (error) {
            reportUncaught(error);
          }
        },
      ]);
    },
  };
  for (const name in globals)
    defineProperty(globalObject, name, {
      value: globals[name],
      writable: true,
      configurable: true,
      enumerable: false,
    });
  delete globalObject.WebAssembly;

  const driver: IsolateDriver = {
    loadModule(factory) {
      try {
        apply(factory, loadedModule.exports, [
          loadedModule.exports,
          loadedModule,
          '/sandbox/solution.js',
          '/sandbox',
          builtinModule,
        ]);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: describeThrown(error) };
      }
    },
    exportType(name) {
      try {
        return typeof loadedModule.exports[name];
      } catch {
        return 'undefined';
      }
    },
    startExport(name, specs: ExportArgument[]) {
      const args: unknown[] = [];
      for (let i = 0; i < specs.length; i++) {
        const spec = specs[i];
        defineProperty(args, i, {
          value: spec.kind === 'service' ? makeService(spec.service) : spec.value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      let returned: unknown;
      try {
        returned = apply(loadedModule.exports[name] as Callback, undefined, args);
      } catch (error) {
        host.exportSettled('rejected', messageOf(error));
        return;
      }
      const settled = apply(promiseResolve, NativePromise, [returned]) as Promise<unknown>;
      apply(nativeThen, settled, [
        (value: unknown) => {
          try {
            host.exportSettled('resolved', value);
          } catch (error) {
            host.exportSettled('uncopyable', messageOf(error));
          }
        },
        (reason: unknown) => host.exportSettled('rejected', messageOf(reason)),
      ]);
    },
    fireTimer(timerId) {
      const entry = timersById[timerId];
      if (entry === undefined) return;
      if (!entry.repeat) delete timersById[timerId];
      try {
        apply(entry.callback, undefined, entry.args);
      } catch (error) {
        reportUncaught(error);
      }
    },
    settleCall(callIndex, ok, payload) {
      const settlers = settlersByCall[callIndex];
      delete settlersByCall[callIndex];
      if (ok) settlers.resolve(payload);
      else settlers.reject(new NativeError(toText(payload)));
    },
  };
  // Each method tells the host it got to the end; microtasks and ivm's unhandled-rejection check come after.
  const reporting = createObject(null) as Record<string, unknown>;
  for (const name in driver) {
    const method = (driver as unknown as Record<string, Callback>)[name];
    reporting[name] = (...args: unknown[]) => {
      const returned = apply(method, undefined, args);
      host.driverReturned();
      return returned;
    };
  }
  return reporting as unknown as IsolateDriver;
}
