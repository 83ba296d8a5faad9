/**
 * RUNS INSIDE EACH THREAD'S ISOLATE (worker_threads runtime), before the submission loads.
 *
 * The node:worker_threads subset of the course: `Worker`, `isMainThread`, `parentPort`,
 * `workerData`, `threadId`. `new Worker(__filename | new URL(import.meta.url), { workerData })`
 * asks the host to start THIS module in a new thread (its own isolate); the thread id comes at
 * once from a counter every thread of the run shares, as Node numbers threads. Messages are
 * structured clones made by isolated-vm when `send` copies them out: what cannot be cloned
 * throws a DataCloneError here, synchronously, as in Node. Stringified: it may use only its
 * parameters and built-ins, captured first.
 */
import type { EventEmitters } from './event-emitters';
import type { DispatchReply, HostOperations, WorkerThreadSettings } from './worker-thread-contract';

type Send = <K extends keyof HostOperations>(op: K, ...args: HostOperations[K]) => void;

export interface WorkerThreadsModule {
  module: Record<string, unknown>;
  workerOnline(threadId: number): void;
  workerMessage(threadId: number, value: unknown): void;
  /** Emits 'error' on the Worker; false when nothing listens (then it is uncaught in this thread, as in Node). */
  workerError(threadId: number, error: unknown): boolean;
  workerExit(threadId: number, exitCode: number): void;
  portMessage(value: unknown): DispatchReply;
}

export function createWorkerThreadsModule(
  settings: WorkerThreadSettings,
  send: Send,
  createEmitters: (onChange: (target: object, event: PropertyKey) => void) => EventEmitters,
): WorkerThreadsModule {
  'use strict';
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const ownKeys = Reflect.ownKeys;
  const atomicsAdd = Atomics.add;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const NativePromise = Promise;
  const promiseResolve = Promise.resolve;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const stringEndsWith = String.prototype.endsWith;
  const toText = String;
  const threadIds = new Int32Array(settings.threadIds);

  interface WorkerState {
    threadId: number;
    exited: boolean;
    terminating: boolean;
    terminations: ((exitCode: number) => void)[];
  }
  const states = new WeakMap<object, WorkerState>();
  const workersById: Record<number, object> = createObject(null);
  let port: object | null = null;
  let portListening = false;
  let portClosed = false;
  let portRefed = true;

  const emitters = createEmitters((target, event) => {
    if (target !== port || event !== 'message') return;
    const listening = emitters.count(target, 'message') > 0;
    if (listening === portListening) return;
    portListening = listening;
    send('port-listening', listening);
  });

  /** What isolated-vm throws for a value it cannot copy becomes Node's DataCloneError (same message). */
  function cloneInto(
    op: 'spawn' | 'post-to-worker' | 'post-to-parent',
    first: unknown,
    second?: unknown,
  ): void {
    try {
      (send as (op: string, first: unknown, second: unknown) => void)(op, first, second);
    } catch (error) {
      if (
        !(error instanceof NativeTypeError) ||
        !apply(stringEndsWith, error.message, ['could not be cloned.'])
      )
        throw error;
      const cloneError = new NativeError(error.message);
      defineProperty(cloneError, 'name', { value: 'DataCloneError', writable: true, configurable: true });
      defineProperty(cloneError, 'code', { value: 25, writable: true, configurable: true });
      throw cloneError;
    }
  }

  function checkFilename(filename: unknown): void {
    if (filename === settings.filename) return;
    if (typeof filename === 'object' && filename !== null) {
      const href = (filename as { href?: unknown }).href;
      if (href === settings.fileUrl) return;
      throw new NativeTypeError(
        'new Worker(url): a worker can only run this same file; the URL must be new URL(import.meta.url) (' +
          settings.fileUrl +
          '), got ' +
          toText(href),
      );
    }
    throw new NativeTypeError(
      "new Worker(filename): a worker can only run this same file; pass __filename or new URL(import.meta.url), got '" +
        toText(filename) +
        "'",
    );
  }

  function stateOf(worker: unknown): WorkerState {
    const state = apply(weakMapGet, states, [worker]) as WorkerState | undefined;
    if (state === undefined) throw new NativeTypeError('this is not a Worker');
    return state;
  }

  class Worker {
    constructor(filename: unknown, options?: unknown) {
      checkFilename(filename);
      let workerData: unknown = undefined;
      if (options !== undefined && options !== null) {
        if (typeof options !== 'object')
          throw new NativeTypeError(
            'The "options" argument must be of type object. Received ' + typeof options,
          );
        if ((options as { eval?: unknown }).eval)
          throw new NativeError(
            'new Worker(code, { eval: true }) is not available: a worker runs this same file',
          );
        workerData = (options as { workerData?: unknown }).workerData;
      }
      const threadId = (apply(atomicsAdd, Atomics, [threadIds, 0, 1]) as number) + 1;
      cloneInto('spawn', threadId, workerData);
      apply(weakMapSet, states, [this, { threadId, exited: false, terminating: false, terminations: [] }]);
      workersById[threadId] = this;
    }
    /** As in Node: -1 once the thread is no longer running. */
    get threadId(): number {
      const state = stateOf(this);
      return state.exited ? -1 : state.threadId;
    }
    postMessage(value: unknown): void {
      const state = stateOf(this);
      if (!state.exited) cloneInto('post-to-worker', state.threadId, value);
    }
    terminate(): Promise<number | undefined> {
      const state = stateOf(this);
      if (state.exited) return apply(promiseResolve, NativePromise, [undefined]) as Promise<undefined>;
      const exited = new NativePromise<number>((resolve) => {
        defineProperty(state.terminations, state.terminations.length, { value: resolve, enumerable: true });
      });
      if (!state.terminating) {
        state.terminating = true;
        send('terminate', state.threadId);
      }
      return exited;
    }
    ref(): void {
      const state = stateOf(this);
      if (!state.exited) send('worker-ref', state.threadId, true);
    }
    unref(): void {
      const state = stateOf(this);
      if (!state.exited) send('worker-ref', state.threadId, false);
    }
  }

  class MessagePort {
    postMessage(value: unknown): void {
      if (this !== port) throw new NativeTypeError('this is not the parentPort');
      if (!portClosed) cloneInto('post-to-parent', value);
    }
    close(): void {
      if (portClosed) return;
      portClosed = true;
      send('port-close');
    }
    start(): void {}
    ref(): void {
      if (!portRefed) send('port-ref', (portRefed = true));
    }
    unref(): void {
      if (portRefed) send('port-ref', (portRefed = false));
    }
  }

  const methodNames = ownKeys(emitters.methods);
  for (let i = 0; i < methodNames.length; i++) {
    const method = { value: emitters.methods[methodNames[i] as string], writable: true, configurable: true };
    defineProperty(Worker.prototype, methodNames[i], method);
    defineProperty(MessagePort.prototype, methodNames[i], method);
  }
  if (!settings.isMainThread) port = new MessagePort();

  return {
    module: freeze({
      Worker,
      isMainThread: settings.isMainThread,
      parentPort: port,
      workerData: settings.workerData,
      threadId: settings.threadId,
    }),
    workerOnline(threadId) {
      const worker = workersById[threadId];
      if (worker !== undefined) emitters.emit(worker, 'online', []);
    },
    workerMessage(threadId, value) {
      const worker = workersById[threadId];
      if (worker !== undefined) emitters.emit(worker, 'message', [value]);
    },
    workerError(threadId, error) {
      const worker = workersById[threadId];
      return worker === undefined || emitters.emit(worker, 'error', [error]);
    },
    workerExit(threadId, exitCode) {
      const worker = workersById[threadId];
      if (worker === undefined) return;
      const state = stateOf(worker);
      state.exited = true;
      delete workersById[threadId];
      emitters.emit(worker, 'exit', [exitCode]);
      for (let i = 0; i < state.terminations.length; i++) state.terminations[i](exitCode);
    },
    portMessage(value) {
      if (port === null || portClosed) return 'done';
      if (emitters.count(port, 'message') === 0) return 'undelivered';
      emitters.emit(port, 'message', [value]);
      return 'done';
    },
  };
}
