/**
 * The interface between the host's worker-thread runtime (src/sandbox/worker-threads) and the
 * runtime that runs inside every thread's isolate (this folder), for submissions that start their
 * own threads with node:worker_threads.
 *
 * Host to isolate: one event per call of the driver's `dispatch`, each call one macrotask (the
 * isolate drains its microtasks after it), entered with the async `apply` so isolates run in
 * parallel on isolated-vm's pool. Isolate to host: `toHost(op, ...args)`, an `ignored` callback,
 * so the thread never waits for Node's main thread (a sync callback costs ~190 µs, this ~2 µs).
 * Every value crossing is a structured clone; SharedArrayBuffers stay shared.
 */

/** Float64 cells of a thread's private evidence buffer: only the runtime's closure and the host hold it. */
export const WORKER_EVIDENCE_SLOTS = {
  /** Total ms the thread spent inside Atomics.wait (isolated-vm's cpuTime counts that time too). */
  blockedMs: 0,
  waits: 1,
  /** Date.now() when the current Atomics.wait began; 0 when not waiting. */
  waitingSince: 2,
  /** toHost calls made so far: the host processes a dispatch's end only once it has received them all. */
  sent: 3,
} as const;
export const WORKER_EVIDENCE_BYTES = 4 * Float64Array.BYTES_PER_ELEMENT;

/** The one Int32 cell of the run's thread-id counter, shared by every thread so `new Worker` numbers threads at once. */
export const THREAD_ID_COUNTER_BYTES = Int32Array.BYTES_PER_ELEMENT;

export interface WorkerThreadSettings {
  threadId: number;
  isMainThread: boolean;
  /** The worker's copy of `options.workerData`; `null` on the main thread, as in Node. */
  workerData: unknown;
  /** `__filename` of the submission, and its `file:` URL (`import.meta.url`). */
  filename: string;
  dirname: string;
  fileUrl: string;
  evidence: SharedArrayBuffer;
  evidenceSlots: typeof WORKER_EVIDENCE_SLOTS;
  threadIds: SharedArrayBuffer;
}

/** How a thrown value travels to the host and on to a parent thread's 'error' event. */
export interface ThrownValue {
  isError: boolean;
  /** `Name: message` for an Error, the value as text otherwise: what reports show. */
  text: string;
  name?: string;
  message?: string;
  stack?: string;
  /** A thrown non-Error, when it can be copied (Node hands it to 'error' listeners as it is). */
  value?: unknown;
}

/** Events the host delivers; each is one macrotask in the thread. */
export type ThreadEvent =
  | { type: 'call-export'; name: string; args: unknown[] }
  | { type: 'timer'; timerId: number }
  | { type: 'port-message'; value: unknown }
  | { type: 'worker-online'; threadId: number }
  | { type: 'worker-message'; threadId: number; value: unknown }
  | { type: 'worker-error'; threadId: number; error: ThrownValue }
  | { type: 'worker-exit'; threadId: number; exitCode: number }
  | { type: 'wait-async'; waitId: number; result: string };

/**
 * What `dispatch` answers: `done`; `undelivered` (a port message arrived with no 'message' listener:
 * the host keeps it for later, as Node's port queues it); or, for `call-export`, `export-type:<typeof>`
 * when the export is not a function (then nothing was called).
 */
export type DispatchReply = 'done' | 'undelivered' | `export-type:${string}`;

export type TimerKind = 'timeout' | 'interval' | 'immediate';
export type SettledKind = 'resolved' | 'rejected' | 'uncopyable';

/**
 * Every operation the runtime asks of the host, with its arguments in order. The host checks each
 * argument: a tampered runtime must not be able to make it do more than these say.
 */
export interface HostOperations {
  log: [line: string];
  'timer-set': [timerId: number, kind: TimerKind, delay: unknown];
  'timer-clear': [timerId: number];
  'timer-ref': [timerId: number, refed: boolean];
  spawn: [threadId: number, workerData: unknown];
  'post-to-worker': [threadId: number, value: unknown];
  'post-to-parent': [value: unknown];
  terminate: [threadId: number];
  'worker-ref': [threadId: number, refed: boolean];
  'port-listening': [listening: boolean];
  'port-ref': [refed: boolean];
  'port-close': [];
  /** Atomics.waitAsync that did not settle at once: the host waits on the same shared memory. */
  'wait-async': [
    waitId: number,
    buffer: SharedArrayBuffer,
    byteOffset: number,
    value: number | bigint,
    timeoutMs: number,
  ];
  /** An exception nobody caught; `unhandledWorkerError` names the worker whose 'error' event had no listener. */
  uncaught: [error: ThrownValue, unhandledWorkerError: number | null];
  settled: [kind: SettledKind, value: unknown];
}
export type HostOperation = keyof HostOperations;

/** What the host calls in a thread. */
export interface WorkerThreadDriver {
  /** Runs the module body (the first macrotask); false when it threw (reported through `uncaught` first). */
  loadModule(factory: unknown): boolean;
  dispatch(event: ThreadEvent): DispatchReply;
}
