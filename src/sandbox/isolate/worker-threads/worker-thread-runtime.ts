/**
 * RUNS INSIDE EACH THREAD'S ISOLATE, beside the untrusted submission, before it loads: the
 * runtime of a submission that starts its own threads (node:worker_threads), on real time.
 *
 * Stringified and evaluated in a fresh context with its parts (the other files of this folder,
 * each self-contained), so it may use only its parameters and built-ins, which it captures first.
 * `toHost` (an isolated-vm `ignored` callback) and the evidence buffer live only in this closure:
 * nothing the submission can reach holds them. The runtime keeps no verdict-relevant state; the
 * host reads times from the evidence buffer and the isolate, and decides what happened.
 */
import type { installAtomicsWaits } from './atomics-waits';
import type { createEventEmitters } from './event-emitters';
import type { createUrlClass } from './minimal-url';
import type { createThreadTimers } from './real-timers';
import type {
  DispatchReply,
  HostOperation,
  SettledKind,
  ThreadEvent,
  ThrownValue,
  WorkerThreadDriver,
  WorkerThreadSettings,
} from './worker-thread-contract';
import type { createWorkerThreadsModule } from './worker-threads-module';

export interface WorkerThreadRuntimeParts {
  installAtomicsWaits: typeof installAtomicsWaits;
  createUrlClass: typeof createUrlClass;
  createEventEmitters: typeof createEventEmitters;
  createThreadTimers: typeof createThreadTimers;
  createWorkerThreadsModule: typeof createWorkerThreadsModule;
}

type Callback = (...args: unknown[]) => unknown;
type ToHost = (op: HostOperation, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown) => void;

export function installWorkerThreadRuntime(
  toHost: ToHost,
  settings: WorkerThreadSettings,
  parts: WorkerThreadRuntimeParts,
): WorkerThreadDriver {
  'use strict'; // strict functions hide `caller` and `this`, keeping toHost and the evidence unreachable
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const NativePromise = Promise;
  const nativeThen = Promise.prototype.then;
  const promiseResolve = Promise.resolve;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const errorConstructors: Record<string, ErrorConstructor> = createObject(null);
  for (const constructor of [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError])
    errorConstructors[constructor.name] = constructor;
  const jsonStringify = JSON.stringify;
  const dateNow = Date.now;
  const NativeDate = Date;
  const toText = String;
  const globalObject = globalThis as Record<string, unknown>;
  const resolvedPromise = apply(promiseResolve, NativePromise, []) as Promise<void>;
  const evidence = new Float64Array(settings.evidence);
  const sentSlot = settings.evidenceSlots.sent;
  /** Set once this thread threw uncaught: it is over, whatever still runs until the host disposes it. */
  let dead = false;

  function send(op: HostOperation, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): void {
    if (dead) return;
    toHost(op, a, b, c, d, e);
    evidence[sentSlot] += 1;
  }

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

  function describeThrown(error: unknown): ThrownValue {
    try {
      if (error instanceof NativeError) {
        const name = toText(error.name);
        const message = toText(error.message);
        return { isError: true, text: name + ': ' + message, name, message, stack: toText(error.stack) };
      }
    } catch {
      // a hostile getter on the error: describe it as a value
    }
    return { isError: false, text: formatValue(error), value: error };
  }

  /** A worker's error, rebuilt in its parent for the Worker's 'error' event (Node sends a copy too). */
  function rebuildThrown(thrown: ThrownValue): unknown {
    if (!thrown.isError) return 'value' in thrown ? thrown.value : thrown.text;
    const name = toText(thrown.name);
    const error = new (errorConstructors[name] ?? NativeError)(toText(thrown.message));
    if (errorConstructors[name] === undefined)
      defineProperty(error, 'name', { value: name, writable: true, configurable: true });
    defineProperty(error, 'stack', { value: thrown.stack, writable: true, configurable: true });
    return error;
  }

  /** Sends what was thrown; a thrown value that cannot be copied goes as its description only. */
  function sendThrown(op: 'uncaught' | 'settled', error: unknown, extra: unknown): void {
    const thrown = describeThrown(error);
    const sendAs = (value: ThrownValue) =>
      op === 'uncaught' ? send(op, value, extra) : send(op, extra, value);
    try {
      sendAs(thrown);
    } catch {
      sendAs({ isError: thrown.isError, text: thrown.text, stack: thrown.stack });
    }
  }

  /** Node's rule: an exception nobody catches ends the thread. The host decides what follows. */
  function fail(error: unknown, unhandledWorkerError: number | null): void {
    sendThrown('uncaught', error, unhandledWorkerError);
    dead = true;
  }

  let lastWaitId = 0;
  const pendingWaits: Record<number, (result: string) => void> = createObject(null);
  parts.installAtomicsWaits(
    settings.evidence,
    settings.evidenceSlots,
    (buffer, byteOffset, value, timeoutMs) => {
      const waitId = ++lastWaitId;
      const result = new NativePromise<string>((resolve) => {
        pendingWaits[waitId] = resolve;
      });
      send('wait-async', waitId, buffer, byteOffset, value, timeoutMs);
      return result;
    },
  );

  const timers = parts.createThreadTimers(send as never);
  const workerThreads = parts.createWorkerThreadsModule(settings, send as never, parts.createEventEmitters);
  const timersPromises = freeze({ ...timers.promises });

  function builtinModule(specifier: unknown): unknown {
    if (specifier === 'node:worker_threads') return workerThreads.module;
    if (specifier === 'node:timers/promises') return timersPromises;
    throw new NativeError(
      "Cannot use module '" +
        toText(specifier) +
        "': only node:timers/promises and node:worker_threads may be imported",
    );
  }

  const print = (...args: unknown[]) => {
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i === 0 ? '' : ' ') + formatValue(args[i]);
    send('log', line);
  };
  const consoleObject: Record<string, Callback> = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir']) consoleObject[level] = print;
  // Real time at 1 ms resolution: an isolate has no finer clock without a ~190 µs call to the host.
  const timeOrigin = apply(dateNow, NativeDate, []) as number;
  const globals: Record<string, unknown> = {
    ...timers.globals,
    console: freeze(consoleObject),
    performance: freeze({ now: () => (apply(dateNow, NativeDate, []) as number) - timeOrigin, timeOrigin }),
    URL: parts.createUrlClass(),
    queueMicrotask(callback: unknown) {
      if (typeof callback !== 'function')
        throw new NativeTypeError('The "callback" argument must be of type function');
      apply(nativeThen, resolvedPromise, [
        () => {
          try {
            apply(callback, undefined, []);
          } catch (error) {
            fail(error, null);
          }
        },
      ]);
    },
  };
  for (const name in globals)
    defineProperty(globalObject, name, { value: globals[name], writable: true, configurable: true });

  const loaded: { exports: Record<string, unknown> } = { exports: {} };

  function settle(kind: SettledKind, value: unknown): void {
    if (kind === 'rejected') return sendThrown('settled', value, 'rejected');
    try {
      send('settled', 'resolved', value);
    } catch (error) {
      send(
        'settled',
        'uncopyable',
        error instanceof NativeError ? toText(error.message) : formatValue(error),
      );
    }
  }

  function callExport(name: string, args: unknown[]): DispatchReply {
    let exported: unknown;
    try {
      exported = loaded.exports[name];
    } catch {
      exported = undefined;
    }
    if (typeof exported !== 'function') return `export-type:${typeof exported}`;
    let returned: unknown;
    try {
      returned = apply(exported as Callback, undefined, args);
    } catch (error) {
      settle('rejected', error);
      return 'done';
    }
    const settled = apply(promiseResolve, NativePromise, [returned]) as Promise<unknown>;
    apply(nativeThen, settled, [
      (value: unknown) => settle('resolved', value),
      (reason: unknown) => settle('rejected', reason),
    ]);
    return 'done';
  }

  function deliver(event: ThreadEvent): DispatchReply {
    switch (event.type) {
      case 'call-export':
        return callExport(event.name, event.args);
      case 'timer':
        timers.fire(event.timerId);
        return 'done';
      case 'port-message':
        return workerThreads.portMessage(event.value);
      case 'worker-online':
        workerThreads.workerOnline(event.threadId);
        return 'done';
      case 'worker-message':
        workerThreads.workerMessage(event.threadId, event.value);
        return 'done';
      case 'worker-error': {
        const error = rebuildThrown(event.error);
        if (!workerThreads.workerError(event.threadId, error)) fail(error, event.threadId);
        return 'done';
      }
      case 'worker-exit':
        workerThreads.workerExit(event.threadId, event.exitCode);
        return 'done';
      case 'wait-async': {
        const resolve = pendingWaits[event.waitId];
        delete pendingWaits[event.waitId];
        if (resolve !== undefined) resolve(event.result);
        return 'done';
      }
    }
  }

  return {
    loadModule(factory) {
      try {
        apply(factory as Callback, loaded.exports, [
          loaded.exports,
          loaded,
          settings.filename,
          settings.dirname,
          builtinModule,
        ]);
        return true;
      } catch (error) {
        fail(error, null);
        return false;
      }
    },
    dispatch(event) {
      if (dead) return 'done';
      try {
        return deliver(event);
      } catch (error) {
        fail(error, null);
        return 'done';
      }
    },
  };
}
