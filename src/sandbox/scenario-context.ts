import ivm from 'isolated-vm';
import { GradingDeadline } from './grading-deadline';
import {
  ISOLATE_HOST_FUNCTIONS,
  type DeterminismSettings,
  type ExportArgument,
  type IsolateDriver,
  type IsolateFunction,
  type IsolateHost,
  type RuntimeHost,
  type ServiceSpec,
  type ThrownError,
} from './isolate/isolate-contract';
import { SandboxVerdictError } from './sandbox-verdict-error';
import type { CompiledSubmission } from './transpile-submission';
import { timeoutVerdict, verdictForIsolateError } from './isolate-error-verdict';
import { newSandboxContextSync } from './new-sandbox-context';
import { sandboxMemoryCeiling } from './sandbox-memory-ceiling';

export interface ScenarioContextOptions {
  isolate: ivm.Isolate;
  /** Evaluates to the runtime's installer (see GradingIsolate). */
  runtimeScript: ivm.Script;
  submission: CompiledSubmission;
  /** The submission's module factory, compiled once per isolate. */
  submissionScript: () => ivm.Script;
  memoryMb: number;
  deadline: GradingDeadline;
  determinism: DeterminismSettings;
  /** Host-side handlers of what the runtime reports; they must not throw (use `abort`). */
  host: IsolateHost;
}

type DriverMethod = keyof IsolateDriver;
const DRIVER_METHODS: readonly DriverMethod[] = [
  'loadModule',
  'exportType',
  'startExport',
  'fireTimer',
  'settleCall',
  'setDriverFactory',
  'startDriver',
  'startOperation',
];

/** The grader's driver factory is trusted and tiny: this bounds a grader bug, not student code. */
const DRIVER_FACTORY_TIMEOUT_MS = 1000;

/**
 * One scenario's context in the grading isolate: its own globals, the runtime and the submission.
 * Every entry into it goes through `enter`, so every way a call can end maps to one verdict.
 */
export class ScenarioContext {
  private readonly context: ivm.Context;
  private readonly references: ivm.Reference<unknown>[] = [];
  private readonly driver: Record<DriverMethod, ivm.Reference<IsolateFunction>>;
  private abortVerdict: SandboxVerdictError | undefined;
  private driverReturned = false;
  private released = false;

  constructor(private readonly options: ScenarioContextOptions) {
    this.context = newSandboxContextSync(options.isolate);
    const runtimeHost: RuntimeHost = {
      ...options.host,
      driverReturned: () => void (this.driverReturned = true),
    };
    // A context outlives its scenario until it is collected (a FinalizationRegistry callback could still
    // run); from then on its host functions refuse, so it can never reach a later scenario's records.
    const hostFunctions = ISOLATE_HOST_FUNCTIONS.map(
      (name) =>
        new ivm.Callback((...args: unknown[]) => {
          if (this.released) throw new Error('this scenario is over');
          return (runtimeHost[name] as (...a: unknown[]) => unknown)(...args);
        }),
    );
    const driver = this.enter(() => {
      const installer = this.keep(
        options.runtimeScript.runSync(this.context, {
          reference: true,
          timeout: 1000,
        }) as ivm.Reference<IsolateFunction>,
      );
      const settings = new ivm.ExternalCopy(options.determinism).copyInto({ release: true });
      return this.keep(
        installer.applySync(undefined, [...hostFunctions, settings] as never[], {
          result: { reference: true },
          timeout: 1000,
        }) as ivm.Reference<IsolateDriver>,
      );
    });
    this.driver = Object.fromEntries(
      DRIVER_METHODS.map((name) => [name, this.keep(driver.getSync(name, { reference: true }))]),
    ) as unknown as Record<DriverMethod, ivm.Reference<IsolateFunction>>;
  }

  /** Stops the submission now (callable from inside a host handler); the current entry fails with `verdict`. */
  abort(verdict: SandboxVerdictError): void {
    this.abortVerdict ??= verdict;
    if (!this.options.isolate.isDisposed) this.options.isolate.dispose();
  }

  /** Runs the module body; a throw is returned, not raised, so the caller can point at the student's line. */
  loadSubmission(): { ok: true } | { ok: false; error: ThrownError } {
    const factory = this.enter(() =>
      this.keep(
        this.options.submissionScript().runSync(this.context, {
          reference: true,
          timeout: this.remainingMs(),
        }) as ivm.Reference<IsolateFunction>,
      ),
    );
    return this.enter(
      () =>
        this.driver.loadModule.applySync(undefined, [factory.derefInto() as never], {
          timeout: this.remainingMs(),
          result: { copy: true },
        }) as { ok: true } | { ok: false; error: ThrownError },
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

  /**
   * Evaluates the grader's driver code (AsyncDriverCode, as source text) and calls its factory, which
   * must happen before the submission loads. A failure is the grader's, returned as a sentence.
   */
  setDriverFactory(source: string): { ok: true } | { ok: false; message: string } {
    return this.enter(() => {
      let factory: ivm.Reference<unknown>;
      try {
        factory = this.keep(
          this.context.evalSync(`(${source})`, { reference: true, timeout: DRIVER_FACTORY_TIMEOUT_MS }),
        );
      } catch (error) {
        return {
          ok: false,
          message: `the driver code is not a function expression (${(error as Error)?.message ?? error})`,
        };
      }
      return this.driver.setDriverFactory.applySync(undefined, [factory.derefInto() as never], {
        timeout: DRIVER_FACTORY_TIMEOUT_MS,
        result: { copy: true },
      }) as { ok: true } | { ok: false; message: string };
    });
  }

  /** Runs the driver body; a throw (the submission's constructor, say) is returned with its stack. */
  startDriver(input: unknown, services: ServiceSpec[]): { ok: true } | { ok: false; error: ThrownError } {
    return this.call('startDriver', [input, services]) as { ok: true } | { ok: false; error: ThrownError };
  }

  startOperation(index: number): void {
    this.call('startOperation', [index]);
  }

  /** Lets the context be collected: every reference into it is dropped and its host functions go inert. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.options.isolate.isDisposed) return;
    for (const reference of this.references) reference.release();
    this.context.release();
  }

  private call(method: DriverMethod, args: unknown[]): unknown {
    return this.enter(() =>
      this.driver[method].applySync(undefined, args as never[], {
        timeout: this.remainingMs(),
        arguments: { copy: true },
        result: { copy: true },
      }),
    );
  }

  private keep<T extends ivm.Reference<unknown>>(reference: T): T {
    this.references.push(reference);
    return reference;
  }

  private remainingMs(): number {
    const remaining = this.options.deadline.remainingMs();
    if (remaining <= 0) throw timeoutVerdict(this.options.deadline);
    return remaining;
  }

  private enter<T>(run: () => T): T {
    if (this.abortVerdict) throw this.abortVerdict;
    this.driverReturned = false;
    try {
      return sandboxMemoryCeiling.duringSyncCall(run);
    } catch (error) {
      if (error instanceof SandboxVerdictError) throw error;
      throw this.abortVerdict ?? this.verdictFor(error);
    }
  }

  private verdictFor(error: unknown): SandboxVerdictError {
    return verdictForIsolateError(error, {
      isolateDisposed: this.options.isolate.isDisposed,
      deadline: this.options.deadline,
      memoryMb: this.options.memoryMb,
      driverReturned: this.driverReturned,
      submission: this.options.submission,
    });
  }
}
