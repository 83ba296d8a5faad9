/**
 * RUNS INSIDE EACH THREAD'S ISOLATE, before the grader's thread code and the submission.
 *
 * Stringified and evaluated in a fresh context, so it may use only its parameters and built-ins,
 * which it captures first. It replaces `Atomics.wait` with a wrapper of the same shape that
 * publishes how long the thread is blocked, into `evidence`: a SharedArrayBuffer only this closure
 * and the host hold, so the submission can neither read nor forge it. It decides nothing.
 */
import type { ThrownError } from '../isolate-contract';
import type { ThreadBootstrapSettings, ThreadDriver, ThreadRunResult } from './thread-contract';

type AnyFunction = (...args: unknown[]) => unknown;

export function installThreadBootstrap(
  settings: ThreadBootstrapSettings,
  log: (line: string) => void,
): ThreadDriver {
  'use strict'; // strict functions hide `caller`, keeping the evidence buffer unreachable
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const nativeWait = Atomics.wait;
  const nativeAdd = Atomics.add;
  const nativeNotify = Atomics.notify;
  const dateNow = Date.now;
  const NativeDate = Date;
  const NativeError = Error;
  const jsonStringify = JSON.stringify;
  const toText = String;
  const slot = settings.evidenceSlots;
  const evidence = new Float64Array(settings.evidence);
  const start = new Int32Array(settings.start);
  const loaded: { exports: Record<string, unknown> } = { exports: {} };
  let threadFunction: AnyFunction | undefined;

  const now = () => apply(dateNow, NativeDate, []) as number;

  // Same name, length and property shape as the built-in; the time between entering and leaving
  // the native wait is what the host subtracts from the isolate's cpuTime.
  function wait(typedArray: unknown, index: unknown, value: unknown, timeout: unknown): string {
    const since = now();
    evidence[slot.waitingSince] = since;
    try {
      return apply(nativeWait as AnyFunction, Atomics, [typedArray, index, value, timeout]) as string;
    } finally {
      evidence[slot.blockedMs] += now() - since;
      evidence[slot.waits] += 1;
      evidence[slot.waitingSince] = 0;
    }
  }
  defineProperty(Atomics, 'wait', { value: wait, writable: true, enumerable: false, configurable: true });

  function describeThrown(error: unknown): ThrownError {
    try {
      if (error instanceof NativeError)
        return { message: toText(error.name) + ': ' + toText(error.message), stack: toText(error.stack) };
      return { message: 'Uncaught ' + (typeof error === 'string' ? error : toText(jsonStringify(error))) };
    } catch {
      return { message: 'Uncaught [unprintable value]' };
    }
  }

  function formatValue(value: unknown): string {
    try {
      if (typeof value === 'string') return value;
      if (typeof value === 'object' && value !== null && !(value instanceof NativeError))
        return toText(jsonStringify(value));
      return toText(value instanceof NativeError ? value.stack : value);
    } catch {
      return '[unprintable value]';
    }
  }
  function print(...args: unknown[]): void {
    let line = '';
    for (let i = 0; i < args.length; i++) line += (i === 0 ? '' : ' ') + formatValue(args[i]);
    log(line);
  }
  const consoleObject: Record<string, AnyFunction> = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) consoleObject[level] = print;
  defineProperty(globalThis, 'console', { value: consoleObject, writable: true, configurable: true });

  const workerThreads = {
    isMainThread: false,
    threadId: settings.threadId,
    workerData: undefined,
    parentPort: null,
  };
  function builtinModule(specifier: unknown): unknown {
    if (specifier === 'node:worker_threads') return workerThreads;
    throw new NativeError("Cannot use module '" + toText(specifier) + "' in a grader thread yet");
  }

  return {
    setThreadFunction(fn) {
      threadFunction = fn as AnyFunction;
    },
    loadModule(factory) {
      try {
        apply(factory as AnyFunction, loaded.exports, [
          loaded.exports,
          loaded,
          '/sandbox/solution.js',
          '/sandbox',
          builtinModule,
        ]);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: describeThrown(error) };
      }
    },
    run(shared): ThreadRunResult {
      // Start barrier: say we arrived, then sleep (measured, like any wait) until the host says go.
      apply(nativeAdd as AnyFunction, Atomics, [start, settings.startSlots.arrived, 1]);
      apply(nativeNotify as AnyFunction, Atomics, [start, settings.startSlots.arrived]);
      wait(start, settings.startSlots.go, 0, undefined);
      try {
        const info = { index: settings.index, threadId: settings.threadId, count: settings.count };
        const value = apply(threadFunction as AnyFunction, undefined, [loaded.exports, shared, info]);
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error: describeThrown(error) };
      }
    },
  };
}
