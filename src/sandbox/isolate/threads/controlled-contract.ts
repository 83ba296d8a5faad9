/**
 * The control memory of a controlled run: one Int32Array that the host and every thread's isolate
 * share. Only the thread holding the turn reads or writes it (the host only between runs, or after
 * the run's status says it is over), so the cells need no locking: the hand-over of the turn is
 * an Atomics.store + notify that orders everything before it.
 *
 * The layout is copied into each isolate as plain numbers (the code there is stringified).
 */

export const CONTROL_STATUS = {
  running: 0,
  completed: 1,
  /** No thread can move and some are not finished. */
  deadlock: 2,
  /** The run took more steps than it may (a livelock, or a solution far too chatty). */
  stepLimit: 3,
} as const;

export const THREAD_STATE = {
  /** At a scheduling point (or running, when it holds the turn). */
  ready: 0,
  /** In a modelled Atomics.wait. */
  blocked: 1,
  finished: 2,
} as const;

export const WAKE = { none: 0, notified: 1, timedOut: 2 } as const;

export const STRATEGY = { random: 0, pct: 1 } as const;

/** What a step did, as the trace records it. */
export const STEP_KIND = {
  read: 1,
  write: 2,
  load: 3,
  store: 4,
  add: 5,
  sub: 6,
  and: 7,
  or: 8,
  xor: 9,
  exchange: 10,
  compareExchange: 11,
  /** Atomics.wait found the expected value and the thread went to sleep. */
  wait: 12,
  /** Atomics.wait returned 'not-equal' at once. */
  waitNotEqual: 13,
  /** A sleeping thread was woken by a notify and moves again. */
  woken: 14,
  /** A sleeping thread's timeout ran out (on the virtual clock) and it moves again. */
  timedOut: 15,
  notify: 16,
  /** A labelled point of the grader's own code (ThreadTools.point). */
  point: 17,
  /** A method of a shared typed array (fill, set, ...): one step for the whole call. */
  call: 18,
  finish: 19,
} as const;

export const STEP_KIND_NAMES: Record<number, keyof typeof STEP_KIND> = Object.fromEntries(
  Object.entries(STEP_KIND).map(([name, code]) => [code, name as keyof typeof STEP_KIND]),
);

/** Header cells. */
const H = {
  current: 0,
  steps: 1,
  status: 2,
  random: 3,
  strategy: 4,
  virtualMs: 5,
  maxSteps: 6,
  waitSequence: 7,
  traceCount: 8,
  changeCount: 9,
  nextLowPriority: 10,
  runLength: 11,
  threads: 12,
  finished: 13,
  spinLimit: 14,
  lastActor: 15,
} as const;

/** Cells of each thread's block. */
const T = {
  state: 0,
  priority: 1,
  waitBuffer: 2,
  waitIndex: 3,
  waitSequence: 4,
  /** Virtual ms at which the current wait times out; -1 for none. */
  timeoutAt: 5,
  wake: 6,
  /** The thread sleeps (natively) on this cell until it is given the turn. */
  turn: 7,
  steps: 8,
  waitExpected: 9,
  /** State of the thread's seeded Math.random. */
  random: 10,
  waitElementBytes: 11,
} as const;

export const MAX_CONTROLLED_THREADS = 16;
export const MAX_CHANGE_POINTS = 16;
export const TRACE_ENTRIES = 256;
const HEADER_CELLS = 16;
const THREAD_STRIDE = 16;
const CHANGE_STRIDE = 2;
const TRACE_STRIDE = 7;

/** Trace entry cells: step number, thread index, kind, buffer position, element index, value, second value. */
export const TRACE_FIELDS = { step: 0, thread: 1, kind: 2, buffer: 3, index: 4, value: 5, extra: 6 } as const;

export const CONTROL_LAYOUT = {
  header: H,
  thread: T,
  threadBase: HEADER_CELLS,
  threadStride: THREAD_STRIDE,
  /** Pairs (step number, priority given to the thread that takes that step): PCT's change points. */
  changeBase: HEADER_CELLS + MAX_CONTROLLED_THREADS * THREAD_STRIDE,
  changeStride: CHANGE_STRIDE,
  traceBase: HEADER_CELLS + MAX_CONTROLLED_THREADS * THREAD_STRIDE + MAX_CHANGE_POINTS * CHANGE_STRIDE,
  traceStride: TRACE_STRIDE,
  traceEntries: TRACE_ENTRIES,
  status: CONTROL_STATUS,
  state: THREAD_STATE,
  wake: WAKE,
  strategy: STRATEGY,
  kind: STEP_KIND,
} as const;

export type ControlLayout = typeof CONTROL_LAYOUT;

export const CONTROL_CELLS = CONTROL_LAYOUT.traceBase + TRACE_ENTRIES * TRACE_STRIDE;
export const CONTROL_BYTES = CONTROL_CELLS * Int32Array.BYTES_PER_ELEMENT;

/** Index of a thread's cell in the control memory. */
export function threadCell(thread: number, cell: keyof typeof T): number {
  return CONTROL_LAYOUT.threadBase + thread * THREAD_STRIDE + T[cell];
}
