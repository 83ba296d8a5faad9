import ivm from 'isolated-vm';
import { installAsyncDriverTools } from './isolate/async-driver-tools';
import { installDeterministicGlobals } from './isolate/deterministic-globals';
import { ISOLATE_HOST_FUNCTIONS } from './isolate/isolate-contract';
import { installIsolateRuntime } from './isolate/isolate-runtime';
import { installIsolateServices } from './isolate/isolate-services';
import { installIsolateTimers } from './isolate/isolate-timers';
import { installSingleAgentAtomics } from './isolate/single-agent-atomics';
import { ScenarioContext, type ScenarioContextOptions } from './scenario-context';
import { SANDBOXED_SCRIPT_URL } from './submission-source-map';
import { BUILTIN_MODULE_LOADER, type CompiledSubmission } from './transpile-submission';
import { newSandboxIsolate } from './new-sandbox-isolate';

/** Evaluates to the installer: host functions and determinism settings in, the driver out. */
const RUNTIME_SOURCE = `(function (${ISOLATE_HOST_FUNCTIONS.join(', ')}, settings) {
  'use strict';
  (${installDeterministicGlobals.toString()})(now, settings);
  const driver = (${installIsolateRuntime.toString()})({ ${ISOLATE_HOST_FUNCTIONS.join(', ')} }, {
    installServices: ${installIsolateServices.toString()},
    installTimers: ${installIsolateTimers.toString()},
    installDriverTools: ${installAsyncDriverTools.toString()},
  });
  (${installSingleAgentAtomics.toString()})(globalThis.setTimeout, globalThis.clearTimeout);
  return driver;
})`;
const RUNTIME_URL = 'file:///sandbox/lockstep-runtime.js';

/** V8's code cache of the runtime, made by the first isolate of this process so later ones skip the parse. */
let runtimeCodeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;

export interface GradingIsolateOptions {
  /** Heap limit of the isolate, shared by the scenarios of the job (a released context's heap is collected). */
  memoryMb: number;
}

/**
 * The isolate of one grading job (created while esbuild transpiles, so the two overlap). Each scenario runs in a fresh context of it, with its own
 * globals, runtime and copy of the submission: contexts share no objects, so nothing one scenario
 * does is reachable from the next. The runtime and the submission are compiled once per job.
 * A verdict (timeout, memory limit, ...) ends the job, so a poisoned isolate is never used again;
 * the isolate is disposed when the job ends and never serves another submission.
 */
export class GradingIsolate {
  private readonly isolate: ivm.Isolate;
  private readonly runtimeScript: ivm.Script;
  private submissionScript: { for: CompiledSubmission; script: ivm.Script } | undefined;

  constructor(private readonly options: GradingIsolateOptions) {
    this.isolate = newSandboxIsolate(options.memoryMb);
    this.runtimeScript = this.compileRuntime();
  }

  /** The heap limit every scenario of the job shares. */
  get memoryMb(): number {
    return this.options.memoryMb;
  }

  /** A fresh context with the runtime installed; the caller loads the submission into it. */
  openScenario(
    options: Omit<ScenarioContextOptions, 'isolate' | 'runtimeScript' | 'submissionScript' | 'memoryMb'>,
  ): ScenarioContext {
    return new ScenarioContext({
      ...options,
      isolate: this.isolate,
      runtimeScript: this.runtimeScript,
      submissionScript: () => this.compiled(options.submission),
      memoryMb: this.options.memoryMb,
    });
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private compileRuntime(): ivm.Script {
    // isolated-vm sets these on the returned script; its typings leave them out.
    const script = this.isolate.compileScriptSync(RUNTIME_SOURCE, {
      filename: RUNTIME_URL,
      ...(runtimeCodeCache ? { cachedData: runtimeCodeCache } : { produceCachedData: true }),
    }) as ivm.Script & ivm.CachedDataResult & { cachedDataRejected?: boolean };
    if (script.cachedDataRejected) runtimeCodeCache = undefined;
    else runtimeCodeCache ??= script.cachedData;
    return script;
  }

  /** The module body wrapped as a factory; running it in a context only creates the function, no student code runs. */
  private compiled(submission: CompiledSubmission): ivm.Script {
    if (this.submissionScript?.for !== submission) {
      const wrapped = `(function (exports, module, __filename, __dirname, ${BUILTIN_MODULE_LOADER}) {${submission.javascript}\n})`;
      this.submissionScript = {
        for: submission,
        script: this.isolate.compileScriptSync(wrapped, { filename: SANDBOXED_SCRIPT_URL }),
      };
    }
    return this.submissionScript.script;
  }
}
