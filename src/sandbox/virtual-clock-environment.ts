import type { ConsoleBudget } from './console-budget';
import type { GradingDeadline } from './grading-deadline';
import type { GradingIsolate } from './grading-isolate';
import type { DeterminismSettings } from './isolate/isolate-contract';
import type { CompiledSubmission } from './transpile-submission';

/** What every async scenario of a grading job runs with, and the limits of the virtual clock. */
export const DEFAULT_MAX_VIRTUAL_MS = 60_000;
/** Enough for any honest async solution; a program that keeps re-arming timers hits it and times out. */
export const DEFAULT_MAX_EVENTS = 100_000;
/** What `Date.now()` says at virtual time 0: a fixed instant, so a run never depends on the day it ran. */
export const VIRTUAL_EPOCH_MS = Date.UTC(2025, 0, 1);

export interface AsyncScenarioEnvironment {
  submission: CompiledSubmission;
  /** The grading job's isolate; the scenario gets a fresh context in it. */
  isolate: GradingIsolate;
  /** State of the scenario's seeded `Math.random` (see seedState in src/grading/seeded-random.ts). */
  randomState: DeterminismSettings['randomState'];
  deadline: GradingDeadline;
  console: ConsoleBudget;
  maxEvents?: number;
}
