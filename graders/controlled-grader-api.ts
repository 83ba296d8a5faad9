/**
 * The controlled-run part of the grader contract (docs/scheduler.md), re-exported by grader-api.ts:
 * graders import everything from there.
 */
import type { ThreadCode, ThreadEnd, WaitSite } from './grader-api';

// ---------------------------------------------------------------------------------------------
// Controlled runs (issue 4): the same ThreadCode, but only one thread moves at a time and a seeded
// scheduler picks who moves at each shared-memory step (docs/scheduler.md). A run is fully
// determined by the grading's seed: a counterexample replays step for step.
// ---------------------------------------------------------------------------------------------

/** random: every ready thread equally likely at every step. pct: priorities with depth-1 change points (Burckhardt et al., ASPLOS 2010). */
export type ScheduleStrategy = { kind: 'random' } | { kind: 'pct'; depth: number };

export interface ControlledScenario {
  /** Shown in messages, e.g. "3 threads, 5 rounds". */
  label?: string;
  threads: number;
  code: ThreadCode;
  /** Fresh shared memory for run `run` (1-based); the grader keeps its own references to judge it. Every buffer at top level. */
  shared(run: number): Record<string, unknown>;
  /** How many runs; the strategies take turns. */
  runs: number;
  /** Default: random, then PCT of depth 3. */
  strategies?: ScheduleStrategy[];
  /** Steps one run may take before it ends as `step-limit`; default 20,000. */
  maxSteps?: number;
  /** Real time for all the runs; default 10 s, capped by the grading's remaining time. When it passes, exploring stops (not a failure). */
  wallTimeMs?: number;
  /** Judges each run from its evidence and its memory; true stops exploring (a counterexample was found). */
  judge(run: ControlledRunEvidence, shared: Record<string, unknown>): boolean | void;
}

/**
 * What a step did. value / extra: read: the value read; write: the value written; load: the value;
 * store, add, sub, and, or, xor, exchange, compareExchange: the old value / the value after;
 * wait: the value found / the timeout (-1 none), after which the thread sleeps; waitNotEqual: the
 * value found / the value expected; woken, timedOut: the value it waited to change; notify: threads
 * woken / how many asked (-1 all); point: `index` is the grader's code, value its arg; call: a
 * method of a shared view; finish: the thread's body returned or threw.
 */
export type ScheduleAction =
  | 'read'
  | 'write'
  | 'load'
  | 'store'
  | 'add'
  | 'sub'
  | 'and'
  | 'or'
  | 'xor'
  | 'exchange'
  | 'compareExchange'
  | 'wait'
  | 'waitNotEqual'
  | 'woken'
  | 'timedOut'
  | 'notify'
  | 'point'
  | 'call'
  | 'finish';

export interface ScheduleStep {
  /** 1-based position in the run's trace. */
  step: number;
  /** The thread's index (ThreadInfo.index). */
  thread: number;
  action: ScheduleAction;
  /** The key in `shared` of the buffer; null for memory the grader did not allocate. */
  buffer: string | null;
  /** Element index from the buffer's start. */
  index: number;
  value: number;
  extra: number;
}

export interface ControlledThreadReport {
  index: number;
  threadId: number;
  end: ThreadEnd;
  /** Scheduling steps it took. */
  steps: number;
  /** Where it sleeps (modelled Atomics.wait) when the run ended unfinished; null otherwise. */
  waitingOn: WaitSite | null;
}

export interface ControlledRunEvidence {
  label?: string;
  /** 1-based, of `runs`. */
  run: number;
  runs: number;
  /** `seed` names this run's schedule (derived from the grading's seed, which replays it). */
  schedule: { strategy: 'random' | 'pct'; depth?: number; seed: string };
  /**
   * completed: every thread returned or threw. deadlock: no thread could move and some had not
   * finished: proven, not guessed from timing. step-limit: more steps than `maxSteps` (a livelock, or
   * a wait that spins). timeout: a thread computed past the run's real time without a step.
   */
  status: 'completed' | 'deadlock' | 'step-limit' | 'timeout';
  steps: number;
  threads: ControlledThreadReport[];
  /** The last steps (up to 256), oldest first. */
  trace: ScheduleStep[];
  console: string[];
}

export interface ExplorationSummary {
  label?: string;
  /** Runs made, and runs asked for. */
  runs: number;
  planned: number;
  /** Steps over all runs. */
  steps: number;
  wallMs: number;
  /**
   * Why it stopped before `planned`: the judge found a counterexample, the exploration's wall time
   * passed, or a run ended as `timeout` (a thread computing without a step: later runs would too).
   */
  stoppedEarly: 'judge' | 'wall-time' | 'run-timeout' | null;
}
