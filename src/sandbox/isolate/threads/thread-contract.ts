/**
 * The interface between the host's thread runtime and the bootstrap that runs in each thread's
 * isolate. Settings are copied in (their SharedArrayBuffers stay shared); the driver stays behind
 * an ivm.Reference the host holds.
 */
import type { ThrownError } from '../isolate-contract';

/** Float64 cells of a thread's evidence buffer, written only by the bootstrap's Atomics.wait wrapper. */
export const THREAD_EVIDENCE_SLOTS = { blockedMs: 0, waits: 1, waitingSince: 2 } as const;
export const THREAD_EVIDENCE_BYTES = 3 * Float64Array.BYTES_PER_ELEMENT;

/** Int32 cells of the run's start barrier: how many threads arrived, and the host's go flag. */
export const START_BARRIER_SLOTS = { arrived: 0, go: 1 } as const;
export const START_BARRIER_BYTES = 2 * Int32Array.BYTES_PER_ELEMENT;

export interface ThreadBootstrapSettings {
  /** 0-based position among the run's threads. */
  index: number;
  /** What `threadId` says in this thread (the grader's main thread is 0). */
  threadId: number;
  count: number;
  evidence: SharedArrayBuffer;
  evidenceSlots: typeof THREAD_EVIDENCE_SLOTS;
  start: SharedArrayBuffer;
  startSlots: typeof START_BARRIER_SLOTS;
}

export type ThreadRunResult = { ok: true; value: unknown } | { ok: false; error: ThrownError };

/** What the host calls in a thread, in this order: once each. */
export interface ThreadDriver {
  /** The grader's thread code, evaluated before the submission loads. */
  setThreadFunction(fn: unknown): void;
  loadModule(factory: unknown): { ok: true } | { ok: false; error: ThrownError };
  /** Waits at the start barrier, then calls the thread code with the exports and the shared memory. */
  run(shared: unknown): ThreadRunResult;
}
