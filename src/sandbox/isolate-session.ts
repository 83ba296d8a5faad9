import ivm from 'isolated-vm';
import { GradingDeadline } from './grading-deadline';
import { ISOLATE_HOST_FUNCTIONS, type ExportArgument, type IsolateDriver, type IsolateFunction, type IsolateHost, type ThrownError } from './isolate/isolate-contract';
import { installIsolateRuntime } from './isolate/isolate-runtime';
import { SandboxVerdictError } from './sandbox-verdict-error';
import { SANDBOXED_SCRIPT_URL } from './submission-source-map';
import { BUILTIN_MODULE_LOADER, type CompiledSubmission } from './transpile-submission';

export interface IsolateSessionOptions {
  submission: CompiledSubmission;
  memoryMb: number;
  deadline: GradingDeadline;
  /** Host-side handlers of what the runtime reports; they must not throw (use `abort`). */
  host: IsolateHost;
}

type DriverMethod = keyof IsolateDriver;
const DRIVER_METHODS: readonly DriverMethod[] = ['loadModule', 'exportType', 'startExport', 'fireTimer', 'settleCall'];

/** Compiled once: the runtime's installer, called with the host functions as $0..$n. */
const RUNTIME_SOURCE = `return (${installIsolateRuntime.toString()})({ ${ISOLATE_HOST_FUNCTIONS.map((name, i) => `${name}: $${i}`).join(', ')} });`;

/**
 * One isolate with one context holding the runtime and the submission. Used for a single
 * scenario and then disposed, so a timed-out or poisoned isolate is never reused.
 */
export class IsolateSession {
  private readonly isolate: ivm.Isolate;
  private readonly context: ivm.Context;
  private readonly driver: Record<DriverMethod, ivm.Reference<IsolateFunction>>;
  private abortVerdict: SandboxVerdictError | undefined;

  constructor(private readonly options: IsolateSessionOptions) {
    this.isolate = new ivm.Isolate({
      memoryLimit: Math.max(8, options.memoryMb),
      // isolated-vm says the process cannot recover; exit so the pool replaces it and retries the job.
      onCatastrophicError: (message) => {
        process.stderr.write(`isolated-vm catastrophic error: ${message}\n`);
        process.exit(70);
      },
    });
    this.context = this.isolate.createContextSync();
    const hostFunctions = ISOLATE_HOST_FUNCTIONS.map((name) => new ivm.Callback((...args: unknown[]) => (options.host[name] as (...a: unknown[]) => unknown)(...args)));
    const driver = this.context.evalClosureSync(RUNTIME_SOURCE, hostFunctions, {
      result: { reference: true },
      filename: 'file:///sandbox/lockstep-runtime.js',
      timeout: 1000,
    }) as ivm.Reference<IsolateDriver>;
    this.driver = Object.fromEntries(DRIVER_METHODS.map((name) => [name, driver.getSync(name, { reference: true })])) as unknown as Record<DriverMethod, ivm.Reference<IsolateFunction>>;
  }

  /** Stops the submission now (callable from inside a host handler); the current entry fails with `verdict`. */
  abort(verdict: SandboxVerdictError): void {
    this.abortVerdict ??= verdict;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** Runs the module body; a throw is returned, not raised, so the caller can point at the student's line. */
  loadSubmission(): { ok: true } | { ok: false; error: ThrownError } {
    const wrapped = `(function (exports, module, __filename, __dirname, ${BUILTIN_MODULE_LOADER}) {${this.options.submission.javascript}\n})`;
    const factory = this.enter(() => {
      const script = this.isolate.compileScriptSync(wrapped, { filename: SANDBOXED_SCRIPT_URL });
      return script.runSync(this.context, { reference: true, timeout: this.remainingMs() });
    }) as ivm.Reference<IsolateFunction>;
    return this.enter(
      () => this.driver.loadModule.applySync(undefined, [factory.derefInto() as never], { timeout: this.remainingMs(), result: { copy: true } }) as { ok: true } | { ok: false; error: ThrownError },
    );
  }

  exportType(name: string): string {
    return this.call('exportType', [name]) as string;
  }

  startExport(name: string, args: ExportArgument[]): void {
    this.call('startExport', [name, args]);
  }

  fireTimer(timerId: number): void {
    this.call('fireTimer', [timerId]);
  }

  settleCall(callIndex: number, ok: boolean, payload: unknown): void {
    this.call('settleCall', [callIndex, ok, payload]);
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private call(method: DriverMethod, args: unknown[]): unknown {
    return this.enter(() =>
      this.driver[method].applySync(undefined, args as never[], { timeout: this.remainingMs(), arguments: { copy: true }, result: { copy: true } }),
    );
  }

  private remainingMs(): number {
    const remaining = this.options.deadline.remainingMs();
    if (remaining <= 0) throw this.timeoutVerdict();
    return remaining;
  }

  /** Every entry into the isolate goes through here, so every way it can end maps to one verdict. */
  private enter<T>(run: () => T): T {
    if (this.abortVerdict) throw this.abortVerdict;
    try {
      return run();
    } catch (error) {
      if (error instanceof SandboxVerdictError) throw error;
      if (this.abortVerdict) throw this.abortVerdict;
      const message = error instanceof Error ? error.message : String(error);
      if (/memory limit/i.test(message)) {
        throw new SandboxVerdictError('memory_limit', `the submission used more than the ${this.options.memoryMb} MB of memory it may use`);
      }
      if (/timed out/i.test(message)) throw this.timeoutVerdict();
      if (this.isolate.isDisposed) throw new SandboxVerdictError('memory_limit', `the sandbox stopped the submission: ${message}`);
      throw new SandboxVerdictError('internal_error', `the sandbox runtime failed: ${message}`);
    }
  }

  private timeoutVerdict(): SandboxVerdictError {
    return new SandboxVerdictError(
      'timeout',
      `the submission ran for more than ${this.options.deadline.budgetMs} ms of real time (an endless loop, or work that never yields)`,
    );
  }
}
