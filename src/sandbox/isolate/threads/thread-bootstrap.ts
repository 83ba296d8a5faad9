/**
 * RUNS INSIDE EACH THREAD'S ISOLATE, after the memory model (installAtomicsEvidence for real runs;
 * controlled-turns.ts, controlled-views.ts and controlled-atomics.ts for controlled ones) and before the grader's thread
 * code and the submission.
 *
 * Stringified and evaluated in a fresh context, so it may use only its parameters and built-ins,
 * which it captures first. It installs the console and the module loader, calls the grader's
 * thread code factory, loads the submission and runs the thread body after the start barrier.
 * It decides nothing.
 */
import type { ThrownError } from '../isolate-contract';
import type { AtomicsEvidence } from './atomics-evidence';
import type { ThreadBootstrapSettings, ThreadDriver, ThreadRunResult } from './thread-contract';

/** How the thread's shared memory behaves: measured (real runs) or scheduled (controlled runs). */
export interface ThreadMemoryModel extends AtomicsEvidence {
  /** Handed to the grader's thread code factory (ThreadTools in graders/grader-api.ts). */
  tools: unknown;
  /** After the factory captured its built-ins, before the submission loads. */
  afterFactory?(): void;
  /** After the thread body returned or threw. */
  finish?(): void;
}

type AnyFunction = (...args: unknown[]) => unknown;

export function installThreadBootstrap(
  settings: ThreadBootstrapSettings,
  log: (line: string) => void,
  memory: ThreadMemoryModel,
): ThreadDriver {
  'use strict';
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const jsonStringify = JSON.stringify;
  const toText = String;
  const start = new Int32Array(settings.start);
  const loaded: { exports: Record<string, unknown> } = { exports: {} };
  let threadBody: AnyFunction | undefined;

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
  // The brief allows performance.now(); a bare isolate has none. A controlled run's virtual clock set its own.
  if ((globalThis as { performance?: unknown }).performance === undefined) {
    const dateNow = Date.now;
    const NativeDate = Date;
    const timeOrigin = dateNow();
    const performance = Object.freeze({
      now: () => (apply(dateNow, NativeDate, []) as number) - timeOrigin,
      timeOrigin,
    });
    defineProperty(globalThis, 'performance', { value: performance, writable: true, configurable: true });
  }

  // In the exercises where the grader starts the threads, the submission starts none of its own.
  function Worker(): never {
    throw new NativeTypeError(
      'new Worker() is not available in a thread the grader started: in this exercise the grader creates ' +
        'the threads and calls your exports in each of them',
    );
  }
  const workerThreads = {
    isMainThread: false,
    threadId: settings.threadId,
    workerData: undefined,
    parentPort: null,
    Worker,
  };
  function builtinModule(specifier: unknown): unknown {
    if (specifier === 'node:worker_threads' || specifier === 'worker_threads') return workerThreads;
    throw new NativeError("Cannot use module '" + toText(specifier) + "' in a grader thread");
  }

  return {
    setThreadFactory(factory) {
      try {
        const body = apply(factory as AnyFunction, undefined, [memory.tools]);
        if (typeof body !== 'function')
          return {
            ok: false,
            message: 'the thread code factory returned ' + typeof body + ', not a function',
          };
        threadBody = body as AnyFunction;
        if (memory.afterFactory) memory.afterFactory();
        return { ok: true };
      } catch (error) {
        return { ok: false, message: 'the thread code factory threw ' + describeThrown(error).message };
      }
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
    run(shared, knownBuffers): ThreadRunResult {
      // `shared` is this call's fresh copy: the submission has not seen it yet.
      const buffers: unknown[] = [];
      for (let i = 0; i < knownBuffers.length; i++)
        defineProperty(buffers, i, { value: (shared as Record<string, unknown>)[knownBuffers[i]] });
      memory.setKnownBuffers(buffers);
      // Start barrier: say we arrived, then sleep until the host says go (kept out of the evidence).
      memory.arriveAndWait(start, settings.startSlots.arrived, settings.startSlots.go);
      let result: ThreadRunResult;
      try {
        const info = { index: settings.index, threadId: settings.threadId, count: settings.count };
        result = {
          ok: true,
          value: apply(threadBody as AnyFunction, undefined, [loaded.exports, shared, info]),
        };
      } catch (error) {
        result = { ok: false, error: describeThrown(error) };
      }
      if (memory.finish) memory.finish();
      return result;
    },
  };
}
