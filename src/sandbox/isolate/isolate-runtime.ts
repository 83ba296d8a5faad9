/**
 * RUNS INSIDE THE ISOLATE, next to the student's code, before it loads.
 *
 * This function is stringified and evaluated in a fresh context, so it may use only its parameter
 * and the language's built-ins, which it captures first: a submission that later replaces
 * `Promise.prototype.then` or `Array.prototype.push` cannot change what the runtime does. It keeps
 * no verdict-relevant state: it forwards what happens to the host, which keeps the evidence.
 */
import type { AsyncDriverMethods, DriverToolsRuntime } from './async-driver-tools';
import type {
  ExportArgument,
  IsolateDriver,
  IsolateHost,
  RuntimeHost,
  ThrownError,
} from './isolate-contract';
import type { IsolateServices } from './isolate-services';

import type { IsolateTimers } from './isolate-timers';

type Callback = (...args: unknown[]) => unknown;

/** The installers of the runtime's parts, each stringified beside it (see grading-isolate.ts). */
export interface RuntimeParts {
  installServices(host: IsolateHost): IsolateServices;
  installTimers(
    host: IsolateHost,
    helpers: { formatValue(value: unknown): string; reportUncaught(error: unknown): void },
  ): IsolateTimers;
  installDriverTools(host: IsolateHost, runtime: DriverToolsRuntime): AsyncDriverMethods;
}

export function installIsolateRuntime(host: RuntimeHost, parts: RuntimeParts): IsolateDriver {
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
  const services = parts.installServices(host);
  const jsonStringify = JSON.stringify;
  const toText = String;
  const globalObject = globalThis as Record<string, unknown>;
  const resolvedPromise = apply(promiseResolve, NativePromise, []) as Promise<void>;

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

  function reportUncaught(error: unknown): void {
    host.uncaught(describeThrown(error));
  }
  const timers = parts.installTimers(host, { formatValue, reportUncaught });
  const schedule = timers.schedule;
  const clear = timers.clear;

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

  /**
   * Calls `start` and reports how what it returned settled; a synchronous throw is a rejection. A
   * rejection also goes as the thrown error's description, so that the host can tell a buffer that
   * could not be allocated (memory_limit) from any other rejection.
   */
  function follow(start: Callback, report: IsolateHost['operationSettled'], index: number): void {
    const reject = (reason: unknown) => report(index, 'rejected', messageOf(reason), describeThrown(reason));
    let returned: unknown;
    try {
      returned = apply(start, undefined, []);
    } catch (error) {
      reject(error);
      return;
    }
    const settled = apply(promiseResolve, NativePromise, [returned]) as Promise<unknown>;
    apply(nativeThen, settled, [
      (value: unknown) => {
        try {
          report(index, 'resolved', value);
        } catch (error) {
          report(index, 'uncopyable', messageOf(error));
        }
      },
      reject,
    ]);
  }

  const driverTools = parts.installDriverTools(host, {
    exports: () => loadedModule.exports,
    makeService: services.makeService,
    graderTimeout: timers.graderTimeout,
    follow,
    describeThrown,
  });

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
          value: spec.kind === 'service' ? services.makeService(spec.service, spec.serviceKind) : spec.value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      follow(
        () => apply(loadedModule.exports[name] as Callback, undefined, args),
        (_index, outcome, payload, thrown) => host.exportSettled(outcome, payload, thrown),
        0,
      );
    },
    fireTimer: timers.fireTimer,
    settleCall: services.settleCall,
    ...driverTools,
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
