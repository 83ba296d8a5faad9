/**
 * The interface between the host's thread runtime and the bootstrap that runs in each thread's
 * isolate. Settings are copied in (their SharedArrayBuffers stay shared); the driver stays behind
 * an ivm.Reference the host holds.
 */
import type { DeterminismSettings, ThrownError } from '../isolate-contract';
import type { ControlLayout } from './controlled-contract';

/**
 * A thread's evidence buffer: an Int32 sequence number in the first 8 bytes, then Float64 cells.
 * Only the bootstrap's Atomics.wait / Atomics.notify wrappers write it, one writer per buffer; the
 * sequence number is odd while they write, so the host never reads half an update (a seqlock).
 */
export const THREAD_EVIDENCE_SEQUENCE = 0;
/** Float64 cells (index in a Float64Array over the whole buffer; cell 0 holds the sequence number). */
export const THREAD_EVIDENCE_SLOTS = {
  /** Time blocked in Atomics.wait calls that returned (the start barrier excluded). */
  blockedMs: 1,
  /** Atomics.wait calls that returned, whatever their result. */
  waits: 2,
  /** Date.now() when the current wait began; 0 when not waiting. */
  waitingSince: 3,
  /** Which of the grader's buffers the current wait is on (position in the known list), or -1. */
  siteBuffer: 4,
  /** Element index of the awaited cell, from the buffer's start. */
  siteIndex: 5,
  /** The value the wait expects (a BigInt64 value as the nearest number). */
  siteExpected: 6,
  /** The wait's timeout in ms; Infinity for none. */
  siteTimeoutMs: 7,
  /** 4 for an Int32Array, 8 for a BigInt64Array. */
  siteElementBytes: 8,
  /** Sum of what Atomics.notify returned: waiters this thread woke. */
  wokeOthers: 9,
  /** Waits that returned 'ok', i.e. were woken by a notify. */
  wokenByNotify: 10,
} as const;
export const THREAD_EVIDENCE_BYTES = 11 * Float64Array.BYTES_PER_ELEMENT;

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
  /** Present in a controlled run: the scheduler's control memory, and the thread's seeded clock and randomness. */
  controlled?: ControlledThreadSettings;
}

export interface ControlledThreadSettings {
  index: number;
  control: SharedArrayBuffer;
  layout: ControlLayout;
  determinism: DeterminismSettings;
}

export type ThreadRunResult = { ok: true; value: unknown } | { ok: false; error: ThrownError };

/** What the host calls in a thread, in this order: the first two once, `run` once per run (a controlled session runs many). */
export interface ThreadDriver {
  /**
   * Calls the grader's thread code factory (before the submission loads, so it captures pristine
   * built-ins) and keeps the body it returns.
   */
  setThreadFactory(factory: unknown): { ok: true } | { ok: false; message: string };
  loadModule(factory: unknown): { ok: true } | { ok: false; error: ThrownError };
  /**
   * Waits at the start barrier, then calls the thread body with the exports and the shared memory.
   * `knownBuffers` are the top-level keys of `shared` whose buffers the wait evidence names.
   */
  run(shared: unknown, knownBuffers: string[]): ThreadRunResult;
}
