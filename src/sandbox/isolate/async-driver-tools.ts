/**
 * RUNS INSIDE THE ISOLATE, installed by the runtime before the student's code loads.
 *
 * Runs the grader's driver code (AsyncDriverCode in graders/grader-api.ts) and gives it its tools.
 * The driver's factory is called here before the submission loads, so it captures pristine
 * built-ins. Each operation's start and settlement are reported to the host, which keeps the
 * records; nothing here decides a verdict. Stringified like the runtime: it may use only its
 * parameters and built-ins, captured first.
 */
import type { IsolateHost, ServiceSpec, ThrownError } from './isolate-contract';

type Callback = (...args: unknown[]) => unknown;

/** What the runtime lends the driver tools. */
export interface DriverToolsRuntime {
  exports(): Record<string, unknown>;
  makeService(name: string, kind: ServiceSpec['kind']): Callback;
  /** Schedules a grader timer (one the submission cannot clear) with Node's setTimeout rules. */
  graderTimeout(callback: Callback, delay: unknown): void;
  /** Calls `start` and reports how what it returned settled (a throw is a rejection). */
  follow(start: Callback, report: IsolateHost['operationSettled'], index: number): void;
  describeThrown(error: unknown): ThrownError;
}

export interface AsyncDriverMethods {
  setDriverFactory(factory: unknown): { ok: true } | { ok: false; message: string };
  startDriver(input: unknown, services: ServiceSpec[]): { ok: true } | { ok: false; error: ThrownError };
  startOperation(index: number): void;
}

export function installAsyncDriverTools(host: IsolateHost, runtime: DriverToolsRuntime): AsyncDriverMethods {
  'use strict';
  const apply = Reflect.apply;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const toText = String;
  const toNumber = Number;
  const NativeTypeError = TypeError;

  let driverBody: Callback | undefined;
  const startsByIndex: Record<number, Callback> = createObject(null);

  const tools = freeze({
    operation(label: unknown, start: unknown, delayMs?: unknown) {
      if (typeof start !== 'function')
        throw new NativeTypeError('operation(label, start): start must be a function');
      const delay = delayMs === undefined ? 0 : toNumber(delayMs);
      const index = host.registerOperation(toText(label), delay);
      if (delay > 0) startsByIndex[index] = start as Callback;
      else runtime.follow(start as Callback, host.operationSettled, index);
    },
    setTimeout(callback: unknown, delayMs: unknown) {
      if (typeof callback !== 'function')
        throw new NativeTypeError('setTimeout(callback, delayMs): callback must be a function');
      runtime.graderTimeout(callback as Callback, delayMs);
    },
    mark(label: unknown) {
      host.mark(toText(label));
    },
  });

  return {
    setDriverFactory(factory) {
      try {
        const body = apply(factory as Callback, undefined, []);
        if (typeof body !== 'function')
          return { ok: false, message: 'the driver factory returned ' + typeof body + ', not a function' };
        driverBody = body as Callback;
        return { ok: true };
      } catch (error) {
        return { ok: false, message: 'the driver factory threw ' + runtime.describeThrown(error).message };
      }
    },
    startDriver(input, services) {
      const serviceFunctions: Record<string, Callback> = createObject(null);
      for (let i = 0; i < services.length; i++)
        serviceFunctions[services[i].name] = runtime.makeService(services[i].name, services[i].kind);
      try {
        apply(driverBody!, undefined, [runtime.exports(), freeze(serviceFunctions), tools, input]);
        return { ok: true };
      } catch (error) {
        return { ok: false, error: runtime.describeThrown(error) };
      }
    },
    startOperation(index) {
      const start = startsByIndex[index];
      delete startsByIndex[index];
      if (start !== undefined) runtime.follow(start, host.operationSettled, index);
    },
  };
}
