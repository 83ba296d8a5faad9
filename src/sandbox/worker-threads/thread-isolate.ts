import ivm from 'isolated-vm';
import { installAtomicsWaits } from '../isolate/worker-threads/atomics-waits';
import { createEventEmitters } from '../isolate/worker-threads/event-emitters';
import { createUrlClass } from '../isolate/worker-threads/minimal-url';
import { createThreadTimers } from '../isolate/worker-threads/real-timers';
import {
  WORKER_EVIDENCE_BYTES,
  WORKER_EVIDENCE_SLOTS,
  type DispatchReply,
  type ThreadEvent,
  type WorkerThreadSettings,
} from '../isolate/worker-threads/worker-thread-contract';
import { installWorkerThreadRuntime } from '../isolate/worker-threads/worker-thread-runtime';
import { createWorkerThreadsModule } from '../isolate/worker-threads/worker-threads-module';
import { SANDBOXED_SCRIPT_URL } from '../submission-source-map';
import { BUILTIN_MODULE_LOADER, type CompiledSubmission } from '../transpile-submission';
import { newSandboxIsolate } from '../new-sandbox-isolate';
import { newSandboxContext } from '../new-sandbox-context';

/** Evaluates to the installer: `(toHost, settings) => driver`, with the runtime's parts inlined. */
const RUNTIME_SOURCE = `(function (toHost, settings) {
  'use strict';
  return (${installWorkerThreadRuntime.toString()})(toHost, settings, {
    installAtomicsWaits: ${installAtomicsWaits.toString()},
    createUrlClass: ${createUrlClass.toString()},
    createEventEmitters: ${createEventEmitters.toString()},
    createThreadTimers: ${createThreadTimers.toString()},
    createWorkerThreadsModule: ${createWorkerThreadsModule.toString()},
  });
})`;
const RUNTIME_URL = 'file:///sandbox/lockstep-worker-threads.js';
/** `__filename` in every thread; `import.meta.url` is its file: URL (see transpile-submission). */
export const SUBMISSION_PATH = new URL(SANDBOXED_SCRIPT_URL).pathname;

/** V8 code caches: every thread after the first skips parsing the runtime and the submission. */
let runtimeCodeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;
const submissionCodeCaches = new WeakMap<CompiledSubmission, ivm.ExternalCopy<ArrayBuffer>>();

let liveIsolates = 0;
/** Isolates of worker-thread runs not yet disposed in this process: 0 between runs. */
export function liveWorkerThreadIsolates(): number {
  return liveIsolates;
}

/** How an async call into the isolate ended: a value, a promise left rejected with no handler, or the isolate gone. */
export type IsolateCallEnd<T> =
  { kind: 'value'; value: T } | { kind: 'rejected'; error: unknown } | { kind: 'died'; message: string };

export interface ThreadTimes {
  /** Time the isolate was entered minus time blocked in Atomics.wait (docs/threads.md). */
  cpuMs: number;
  blockedMs: number;
}

export interface ThreadIsolateOptions {
  threadId: number;
  isMainThread: boolean;
  workerData: unknown;
  memoryMb: number;
  /** The run's thread-id counter (THREAD_ID_COUNTER_BYTES). */
  threadIds: SharedArrayBuffer;
  /** Every operation the thread's runtime sends, in order. Must not throw (isolated-vm would drop the error). */
  onOperation(op: unknown, args: unknown[]): void;
}

/**
 * One student thread's isolate: its own heap limit, context and runtime. Every call that runs
 * student code is an async call, so threads run in parallel on isolated-vm's pool and Node's main
 * thread stays free to route their messages.
 */
export class ThreadIsolate {
  private readonly isolate: ivm.Isolate;
  private readonly evidence = new Float64Array(new SharedArrayBuffer(WORKER_EVIDENCE_BYTES));
  private driver: { loadModule: ivm.Reference<unknown>; dispatch: ivm.Reference<unknown> } | undefined;
  private context: ivm.Context | undefined;
  private finalTimes: ThreadTimes | undefined;
  /** Held only until it is copied into the isolate: a large workerData should not stay on the host. */
  private workerData: unknown;

  constructor(private readonly options: ThreadIsolateOptions) {
    this.workerData = options.workerData;
    options.workerData = undefined;
    this.isolate = newSandboxIsolate(options.memoryMb);
    liveIsolates++;
  }

  /** Creates the context and installs the runtime; no student code runs yet. */
  async install(): Promise<IsolateCallEnd<void>> {
    return this.enter(async () => {
      this.context = await newSandboxContext(this.isolate);
      const script = (await this.isolate.compileScript(RUNTIME_SOURCE, {
        filename: RUNTIME_URL,
        ...(runtimeCodeCache ? { cachedData: runtimeCodeCache } : { produceCachedData: true }),
      })) as ivm.Script & ivm.CachedDataResult & { cachedDataRejected?: boolean };
      if (script.cachedDataRejected) runtimeCodeCache = undefined;
      else runtimeCodeCache ??= script.cachedData;
      const installer = (await script.run(this.context, { reference: true })) as ivm.Reference<unknown>;
      const toHost = new ivm.Callback(
        (op: unknown, ...args: unknown[]) => this.options.onOperation(op, args),
        {
          ignored: true,
        },
      );
      const settings: WorkerThreadSettings = {
        threadId: this.options.threadId,
        isMainThread: this.options.isMainThread,
        workerData: this.workerData,
        filename: SUBMISSION_PATH,
        dirname: SUBMISSION_PATH.slice(0, SUBMISSION_PATH.lastIndexOf('/')),
        fileUrl: SANDBOXED_SCRIPT_URL,
        evidence: this.evidence.buffer as SharedArrayBuffer,
        evidenceSlots: WORKER_EVIDENCE_SLOTS,
        threadIds: this.options.threadIds,
      };
      this.workerData = undefined;
      const driver = (await installer.apply(
        undefined,
        [toHost, new ivm.ExternalCopy(settings).copyInto({ release: true })] as never[],
        { result: { reference: true } },
      )) as ivm.Reference<Record<string, unknown>>;
      this.driver = {
        loadModule: await driver.get('loadModule', { reference: true }),
        dispatch: await driver.get('dispatch', { reference: true }),
      };
    });
  }

  /** Runs the module body: the thread's first macrotask. False when it threw (reported as `uncaught`). */
  async loadSubmission(submission: CompiledSubmission): Promise<IsolateCallEnd<boolean>> {
    return this.enter(async () => {
      const cachedData = submissionCodeCaches.get(submission);
      const wrapped = `(function (exports, module, __filename, __dirname, ${BUILTIN_MODULE_LOADER}) {${submission.javascript}\n})`;
      const script = (await this.isolate.compileScript(wrapped, {
        filename: SANDBOXED_SCRIPT_URL,
        ...(cachedData ? { cachedData } : { produceCachedData: true }),
      })) as ivm.Script & ivm.CachedDataResult;
      if (!cachedData && script.cachedData) submissionCodeCaches.set(submission, script.cachedData);
      const factory = (await script.run(this.context!, { reference: true })) as ivm.Reference<unknown>;
      return (await this.driver!.loadModule.apply(undefined, [factory.derefInto()] as never[], {
        result: { copy: true },
      })) as boolean;
    });
  }

  /** Delivers one event: one macrotask, microtasks drained before the call ends. */
  async dispatch(event: ThreadEvent): Promise<IsolateCallEnd<DispatchReply>> {
    return this.enter(
      async () =>
        (await this.driver!.dispatch.apply(undefined, [event] as never[], {
          arguments: { copy: true },
          result: { copy: true },
        })) as DispatchReply,
    );
  }

  /** Operations the runtime has sent so far (a cell only the runtime's closure writes). */
  sentOperations(): number {
    return this.evidence[WORKER_EVIDENCE_SLOTS.sent];
  }

  times(): ThreadTimes {
    if (this.finalTimes) return this.finalTimes;
    const slots = WORKER_EVIDENCE_SLOTS;
    const waitingSince = this.evidence[slots.waitingSince];
    const blockedMs = this.evidence[slots.blockedMs] + (waitingSince > 0 ? Date.now() - waitingSince : 0);
    const enteredMs = this.isolate.isDisposed ? 0 : Number(this.isolate.cpuTime) / 1e6;
    return { cpuMs: Math.max(0, enteredMs - blockedMs), blockedMs };
  }

  get disposed(): boolean {
    return this.finalTimes !== undefined;
  }

  /** Ends the thread at once (a spinning or blocked one too); its times are kept for the report. */
  dispose(): void {
    if (this.finalTimes) return;
    this.finalTimes = this.times();
    liveIsolates--;
    // isolated-vm disposes an isolate itself when it passes its memory limit.
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private async enter<T>(call: () => Promise<T>): Promise<IsolateCallEnd<T>> {
    try {
      return { kind: 'value', value: await call() };
    } catch (error) {
      if (this.isolate.isDisposed)
        return { kind: 'died', message: (error as Error)?.message ?? String(error) };
      // The runtime catches what the submission throws: what reaches here is a promise left rejected
      // with no handler once microtasks drained, which isolated-vm raises as the call's error.
      return { kind: 'rejected', error };
    }
  }
}
