import ivm from 'isolated-vm';
import type { ConsoleBudget } from '../console-budget';
import { installThreadBootstrap } from '../isolate/threads/thread-bootstrap';
import {
  START_BARRIER_SLOTS,
  THREAD_EVIDENCE_BYTES,
  THREAD_EVIDENCE_SLOTS,
  type ThreadBootstrapSettings,
  type ThreadDriver,
  type ThreadRunResult,
} from '../isolate/threads/thread-contract';
import type { ThrownError } from '../isolate/isolate-contract';
import { SANDBOXED_SCRIPT_URL } from '../submission-source-map';
import { BUILTIN_MODULE_LOADER, type CompiledSubmission } from '../transpile-submission';

const BOOTSTRAP_SOURCE = `(function (settings, log) {
  'use strict';
  return (${installThreadBootstrap.toString()})(settings, log);
})`;

export interface StudentThreadOptions {
  index: number;
  count: number;
  submission: CompiledSubmission;
  /** Trusted grader code: a function expression `(exports, shared, thread) => result`. */
  threadSource: string;
  memoryMb: number;
  /** The run's start barrier (host-private, see START_BARRIER_SLOTS). */
  start: SharedArrayBuffer;
  console?: ConsoleBudget;
}

/** Isolates of student threads not yet disposed in this process: 0 between runs, or a thread was left behind. */
let liveIsolates = 0;
export function liveStudentThreadIsolates(): number {
  return liveIsolates;
}

/** How a call into the thread ended: a value, or the isolate died (memory limit, or disposed by the run). */
export type ThreadCallEnd<T> = { kind: 'value'; value: T } | { kind: 'isolate-died'; message: string };

/** Time blocked in Atomics.wait and CPU estimate of one thread, read on the host. */
export interface ThreadTimes {
  cpuMs: number;
  blockedMs: number;
  waits: number;
  /** Was the thread inside Atomics.wait when this was read. */
  blocked: boolean;
}

/**
 * One student thread: its own isolate and context, the bootstrap, the grader's thread code and the
 * submission. Everything that runs student code is entered with the async calls, so threads run
 * at the same time on isolated-vm's thread pool and the host's event loop stays free.
 */
export class StudentThread {
  readonly threadId: number;
  private readonly isolate: ivm.Isolate;
  private readonly context: ivm.Context;
  private readonly driver: Record<keyof ThreadDriver, ivm.Reference<ThreadDriver[keyof ThreadDriver]>>;
  private readonly evidence = new Float64Array(new SharedArrayBuffer(THREAD_EVIDENCE_BYTES));
  private cpuAtRunStart: bigint | undefined;
  private disposed = false;

  constructor(private readonly options: StudentThreadOptions) {
    this.threadId = options.index + 1; // the grader's main thread is 0, as in Node
    this.isolate = new ivm.Isolate({
      memoryLimit: Math.max(8, options.memoryMb),
      onCatastrophicError: (message) => {
        process.stderr.write(`isolated-vm catastrophic error: ${message}\n`);
        process.exit(70);
      },
    });
    liveIsolates++;
    try {
      this.context = this.isolate.createContextSync();
      this.driver = this.installBootstrap();
      const threadFunction = this.context.evalSync(`(${options.threadSource})`, { reference: true });
      this.driver.setThreadFunction.applySync(undefined, [threadFunction.derefInto()]);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  /** Runs the module body. A throw is returned, so the caller can point at the student's line. */
  async load(): Promise<ThreadCallEnd<{ ok: true } | { ok: false; error: ThrownError }>> {
    return this.enter(async () => {
      const wrapped = `(function (exports, module, __filename, __dirname, ${BUILTIN_MODULE_LOADER}) {${this.options.submission.javascript}\n})`;
      const script = await this.isolate.compileScript(wrapped, { filename: SANDBOXED_SCRIPT_URL });
      const factory = await script.run(this.context, { reference: true });
      return (await this.driver.loadModule.apply(undefined, [factory.derefInto()], {
        result: { copy: true },
      })) as { ok: true } | { ok: false; error: ThrownError };
    });
  }

  /** Arrives at the start barrier, waits for the host's go, then runs the thread code. */
  async run(shared: unknown): Promise<ThreadCallEnd<ThreadRunResult>> {
    this.cpuAtRunStart = this.isolate.cpuTime;
    return this.enter(async () => {
      try {
        return (await this.driver.run.apply(undefined, [shared], {
          arguments: { copy: true },
          result: { copy: true },
        })) as ThreadRunResult;
      } catch (error) {
        if (this.isolate.isDisposed) throw error;
        // The isolate is alive, so the call itself worked: the returned value could not be copied out.
        const message = `the thread's result cannot be copied to the grader: ${(error as Error)?.message ?? error}`;
        return { ok: false, error: { message } };
      }
    });
  }

  /**
   * CPU estimate since `run` began: isolated-vm's cpuTime counts every moment the isolate is entered,
   * time blocked in Atomics.wait included (docs/threads.md), so the blocked time is taken off.
   */
  times(): ThreadTimes {
    const slots = THREAD_EVIDENCE_SLOTS;
    const waitingSince = this.evidence[slots.waitingSince];
    const blockedMs = this.evidence[slots.blockedMs] + (waitingSince > 0 ? Date.now() - waitingSince : 0);
    const enteredMs =
      this.cpuAtRunStart === undefined || this.isolate.isDisposed
        ? 0
        : Number(this.isolate.cpuTime - this.cpuAtRunStart) / 1e6;
    return {
      cpuMs: Math.max(0, enteredMs - blockedMs),
      blockedMs,
      waits: this.evidence[slots.waits],
      blocked: waitingSince > 0,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveIsolates--;
    // isolated-vm disposes an isolate itself when it passes its memory limit.
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private installBootstrap(): StudentThread['driver'] {
    const installer = this.isolate
      .compileScriptSync(BOOTSTRAP_SOURCE, { filename: 'file:///sandbox/lockstep-thread.js' })
      .runSync(this.context, { reference: true });
    const settings: ThreadBootstrapSettings = {
      index: this.options.index,
      threadId: this.threadId,
      count: this.options.count,
      evidence: this.evidence.buffer as SharedArrayBuffer,
      evidenceSlots: THREAD_EVIDENCE_SLOTS,
      start: this.options.start,
      startSlots: START_BARRIER_SLOTS,
    };
    const budget = this.options.console;
    // `ignored`: the thread does not wait for the host's main thread to take the line.
    const log = new ivm.Callback((line: string) => void budget?.write(String(line)), { ignored: true });
    const driver = installer.applySync(
      undefined,
      [new ivm.ExternalCopy(settings).copyInto({ release: true }), log] as never[],
      { result: { reference: true } },
    ) as ivm.Reference<ThreadDriver>;
    const method = (name: keyof ThreadDriver) => driver.getSync(name, { reference: true });
    return {
      setThreadFunction: method('setThreadFunction'),
      loadModule: method('loadModule'),
      run: method('run'),
    };
  }

  /** An error out of a call is the isolate dying (memory limit, or disposed by the run): the bootstrap catches the rest. */
  private async enter<T>(call: () => Promise<T>): Promise<ThreadCallEnd<T>> {
    try {
      return { kind: 'value', value: await call() };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!this.isolate.isDisposed) throw error;
      return { kind: 'isolate-died', message };
    }
  }
}
