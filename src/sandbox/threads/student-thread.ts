import ivm from 'isolated-vm';
import { installDeterministicGlobals } from '../isolate/deterministic-globals';
import { installAtomicsEvidence } from '../isolate/threads/atomics-evidence';
import { chooseNextThread } from '../isolate/threads/choose-next-thread';
import { installControlledAtomics } from '../isolate/threads/controlled-atomics';
import { installControlledViews } from '../isolate/threads/controlled-views';
import { installControlledTurns } from '../isolate/threads/controlled-turns';
import { installThreadBootstrap } from '../isolate/threads/thread-bootstrap';
import {
  START_BARRIER_SLOTS,
  THREAD_EVIDENCE_SLOTS,
  type ControlledThreadSettings,
  type ThreadBootstrapSettings,
  type ThreadDriver,
  type ThreadRunResult,
} from '../isolate/threads/thread-contract';
import type { ThrownError } from '../isolate/isolate-contract';
import { SANDBOXED_SCRIPT_URL } from '../submission-source-map';
import { BUILTIN_MODULE_LOADER, type CompiledSubmission } from '../transpile-submission';
import { ThreadEvidenceReader, type ThreadEvidenceSnapshot } from './thread-evidence-reader';
import { newSandboxIsolate } from '../new-sandbox-isolate';
import { newSandboxContextSync } from '../new-sandbox-context';

/** Real runs: the measured Atomics.wait/notify; the grader's ThreadTools do nothing. */
const BOOTSTRAP_SOURCE = `(function (settings, log) {
  'use strict';
  const atomics = (${installAtomicsEvidence.toString()})(settings);
  const tools = Object.freeze({ controlled: false, scheduled: (view) => view, point: () => undefined });
  const memory = { setKnownBuffers: atomics.setKnownBuffers, arriveAndWait: atomics.arriveAndWait, tools };
  return (${installThreadBootstrap.toString()})(settings, log, memory);
})`;

/** Controlled runs: one thread moves at a time, every shared-memory operation a step (docs/scheduler.md). */
const CONTROLLED_BOOTSTRAP_SOURCE = `(function (settings, log) {
  'use strict';
  const controlled = settings.controlled;
  const turns = (${installControlledTurns.toString()})(controlled, ${chooseNextThread.toString()});
  const views = (${installControlledViews.toString()})(controlled, turns);
  (${installControlledAtomics.toString()})(controlled, turns, views);
  (${installDeterministicGlobals.toString()})(turns.virtualNow, controlled.determinism);
  const tools = Object.freeze({ controlled: true, scheduled: views.scheduled, point: turns.point });
  const memory = {
    setKnownBuffers: views.setKnownBuffers,
    arriveAndWait: turns.arriveAndWait,
    finish: turns.finish,
    afterFactory: views.installViews,
    tools,
  };
  return (${installThreadBootstrap.toString()})(settings, log, memory);
})`;

/** The grader's thread code factory is trusted and tiny: this bounds a grader bug, not student code. */
const THREAD_FACTORY_TIMEOUT_MS = 1000;

/** The grader's thread code could not be set up in a thread: a grader bug, never the submission's. */
export class ThreadCodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadCodeError';
  }
}

export interface StudentThreadOptions {
  index: number;
  count: number;
  submission: CompiledSubmission;
  /** Trusted grader code: a factory `() => (exports, shared, thread) => result`, as source text. */
  threadSource: string;
  memoryMb: number;
  /** The run's start barrier (host-private, see START_BARRIER_SLOTS). */
  start: SharedArrayBuffer;
  /** Called on the host's event loop with each console line of the thread. */
  log(line: string): void;
  /** A controlled run's thread: scheduled steps instead of measured waits. */
  controlled?: ControlledThreadSettings;
}

/** Isolates of student threads not yet disposed in this process: 0 between runs, or a thread was left behind. */
let liveIsolates = 0;
export function liveStudentThreadIsolates(): number {
  return liveIsolates;
}

/** How a call into the thread ended: a value, or the isolate died (memory limit, or disposed by the run). */
export type ThreadCallEnd<T> = { kind: 'value'; value: T } | { kind: 'isolate-died'; message: string };

/** How the thread body ended; its returned value may fail to copy out (see docs/threads.md). */
export type ThreadRunEnd = ThreadRunResult | { ok: false; uncopyableResult: string };

/** A thread's evidence with its CPU estimate, read on the host. */
export interface ThreadTimes extends ThreadEvidenceSnapshot {
  cpuMs: number;
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
  private readonly evidence = new ThreadEvidenceReader();
  private cpuAtRelease: bigint | undefined;
  private disposed = false;

  constructor(private readonly options: StudentThreadOptions) {
    this.threadId = options.index + 1; // the grader's main thread is 0, as in Node
    this.isolate = newSandboxIsolate(options.memoryMb);
    liveIsolates++;
    try {
      this.context = newSandboxContextSync(this.isolate);
      this.driver = this.installBootstrap();
      this.setUpThreadCode();
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

  /**
   * Arrives at the start barrier, waits for the host's go, then runs the thread code. `knownBuffers`
   * are the keys of `shared` whose buffers the wait evidence names by position.
   */
  async run(shared: unknown, knownBuffers: string[]): Promise<ThreadCallEnd<ThreadRunEnd>> {
    return this.enter(async () => {
      try {
        return (await this.driver.run.apply(undefined, [shared, knownBuffers], {
          arguments: { copy: true },
          result: { copy: true },
        })) as ThreadRunResult;
      } catch (error) {
        if (this.isolate.isDisposed) throw error;
        // The isolate is alive, so the call itself worked: the returned value could not be copied out.
        return { ok: false, uncopyableResult: (error as Error)?.message ?? String(error) };
      }
    });
  }

  /** The host released the start barrier: CPU is counted from here, the barrier's wait excluded. */
  released(): void {
    if (!this.isolate.isDisposed) this.cpuAtRelease = this.isolate.cpuTime;
  }

  /** What the Atomics.wait wrapper published, without the CPU estimate (cheap: the watchdog's poll). */
  evidenceNow(): ThreadEvidenceSnapshot {
    return this.evidence.read();
  }

  /**
   * Evidence and CPU estimate since the release: isolated-vm's cpuTime counts every moment the
   * isolate is entered, time blocked in Atomics.wait included (docs/threads.md), so blocked time is taken off.
   */
  times(): ThreadTimes {
    const evidence = this.evidence.read();
    const enteredMs =
      this.cpuAtRelease === undefined || this.isolate.isDisposed
        ? 0
        : Number(this.isolate.cpuTime - this.cpuAtRelease) / 1e6;
    return { ...evidence, cpuMs: Math.max(0, enteredMs - evidence.blockedMs) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveIsolates--;
    // isolated-vm disposes an isolate itself when it passes its memory limit.
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private installBootstrap(): StudentThread['driver'] {
    const source = this.options.controlled ? CONTROLLED_BOOTSTRAP_SOURCE : BOOTSTRAP_SOURCE;
    const installer = this.isolate
      .compileScriptSync(source, { filename: 'file:///sandbox/lockstep-thread.js' })
      .runSync(this.context, { reference: true });
    const settings: ThreadBootstrapSettings = {
      index: this.options.index,
      threadId: this.threadId,
      count: this.options.count,
      evidence: this.evidence.buffer,
      evidenceSlots: THREAD_EVIDENCE_SLOTS,
      start: this.options.start,
      startSlots: START_BARRIER_SLOTS,
      ...(this.options.controlled ? { controlled: this.options.controlled } : {}),
    };
    const onLine = this.options.log;
    // `ignored`: the thread does not wait for the host's main thread to take the line.
    const log = new ivm.Callback((line: string) => onLine(String(line)), { ignored: true });
    const driver = installer.applySync(
      undefined,
      [new ivm.ExternalCopy(settings).copyInto({ release: true }), log] as never[],
      { result: { reference: true } },
    ) as ivm.Reference<ThreadDriver>;
    const method = (name: keyof ThreadDriver) => driver.getSync(name, { reference: true });
    return {
      setThreadFactory: method('setThreadFactory'),
      loadModule: method('loadModule'),
      run: method('run'),
    };
  }

  /** Calls the grader's factory before the submission loads, so it captures pristine built-ins. */
  private setUpThreadCode(): void {
    let factory: ivm.Reference<unknown>;
    try {
      factory = this.context.evalSync(`(${this.options.threadSource})`, {
        reference: true,
        timeout: THREAD_FACTORY_TIMEOUT_MS,
      });
    } catch (error) {
      throw new ThreadCodeError(
        `the thread code is not a function expression (${(error as Error)?.message ?? error}); ` +
          'write it as an arrow function or a function expression, not a method',
      );
    }
    const set = this.driver.setThreadFactory.applySync(undefined, [factory.derefInto()], {
      result: { copy: true },
      timeout: THREAD_FACTORY_TIMEOUT_MS,
    }) as { ok: true } | { ok: false; message: string };
    if (!set.ok) throw new ThreadCodeError(set.message);
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
