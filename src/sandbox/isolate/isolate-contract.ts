/**
 * The only interface between the host and the in-isolate runtime. Host functions arrive in the
 * isolate as plain functions (isolated-vm Callbacks) and stay inside the runtime's closures; the
 * driver stays behind an ivm.Reference the host holds. The submission sees neither.
 */

/** Host functions the runtime may call. Every value crossing is copied; nothing here decides a verdict. */
export interface IsolateHost {
  log(line: string): void;
  /** Virtual time in ms since the scenario started. */
  now(): number;
  /** Schedules a timer; the host coerces `delay` the way Node does. Returns the timer id. */
  setTimer(delay: unknown, repeat: boolean): number;
  setImmediate(): number;
  /** A timer of the grader's driver: the submission cannot clear it and it never keeps the run alive. */
  setGraderTimer(delay: unknown): number;
  clearTimer(timerId: number): void;
  /** Records a call of a virtual service and plans its settlement. Returns the call's index. */
  callService(service: string, args: unknown[]): number;
  /** Records a call of a CPU-bound service and returns its value; the virtual clock moves on by its cost. */
  callCpuService(service: string, args: unknown[]): unknown;
  /** Registers a promise derived from service call `callIndex`; returns its track id. */
  track(callIndex: number): number;
  markHandled(trackId: number): void;
  noteRejected(trackId: number): void;
  /** `thrown`: for a rejection, the error described as thrown errors are (a failed allocation is memory_limit). */
  exportSettled(outcome: ExportOutcomeKind, payload: unknown, thrown?: ThrownError): void;
  /** The driver asks for an operation; returns its index. Delay 0: the runtime starts it now; else the host calls startOperation later. */
  registerOperation(label: string, delay: number): number;
  operationSettled(index: number, outcome: ExportOutcomeKind, payload: unknown, thrown?: ThrownError): void;
  /** The driver marks a moment (a heartbeat tick). */
  mark(label: string): void;
  /** An exception nobody caught (timer callback, microtask): in Node this ends the process. */
  uncaught(error: ThrownError): void;
}

/**
 * What the session itself needs from the runtime, beside the scenario's host: the driver says it
 * returned, so an error that ivm raises after that (a promise the submission left rejected with no
 * handler, reported once microtasks drain) is told apart from the runtime failing.
 */
export interface RuntimeHost extends IsolateHost {
  driverReturned(): void;
}

/** Order in which the host passes its functions to the runtime's installer. */
export const ISOLATE_HOST_FUNCTIONS = [
  'log',
  'now',
  'setTimer',
  'setImmediate',
  'setGraderTimer',
  'clearTimer',
  'callService',
  'callCpuService',
  'track',
  'markHandled',
  'noteRejected',
  'exportSettled',
  'registerOperation',
  'operationSettled',
  'mark',
  'uncaught',
  'driverReturned',
] as const satisfies readonly (keyof RuntimeHost)[];

/** Copied into each context before the submission loads; makes its clock and randomness reproducible. */
export interface DeterminismSettings {
  /** What `Date.now()` says at virtual time 0 (a fixed instant, so runs do not depend on the day). */
  epochMs: number;
  /** xoshiro128** state for `Math.random`, derived from the grading seed; never all zero. */
  randomState: [number, number, number, number];
}

export type ExportOutcomeKind = 'resolved' | 'rejected' | 'uncopyable';

export interface ThrownError {
  message: string;
  stack?: string;
}

/** Any function living in the isolate (the submission's module factory). */
export type IsolateFunction = (...args: never[]) => unknown;

/** `io`: returns a promise the host settles later; `cpu`: answers at once (CpuBoundService). */
export type ServiceKind = 'io' | 'cpu';
export interface ServiceSpec {
  name: string;
  kind: ServiceKind;
}

export type ExportArgument =
  { kind: 'value'; value: unknown } | { kind: 'service'; service: string; serviceKind: ServiceKind };

/** What the host calls inside the isolate. Each call runs to completion, microtasks included. */
export interface IsolateDriver {
  loadModule(factory: IsolateFunction): { ok: true } | { ok: false; error: ThrownError };
  exportType(name: string): string;
  startExport(name: string, args: ExportArgument[]): void;
  fireTimer(timerId: number): void;
  settleCall(callIndex: number, ok: boolean, payload: unknown): void;
  /** Calls the grader's driver factory, before the submission loads (AsyncDriverCode). */
  setDriverFactory(factory: unknown): { ok: true } | { ok: false; message: string };
  /** Runs the driver body with the submission's exports, the services, the tools and `input`. */
  startDriver(input: unknown, services: ServiceSpec[]): { ok: true } | { ok: false; error: ThrownError };
  /** Starts an operation the driver asked for with a delay. */
  startOperation(index: number): void;
}
