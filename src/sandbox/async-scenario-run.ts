import type {
  AsyncRunEvidence,
  AsyncScenario,
  ScenarioResult,
  ServiceCallRecord,
} from '../../graders/grader-api';
import { ConsoleBudget } from './console-budget';
import { GradingDeadline } from './grading-deadline';
import type { GradingIsolate } from './grading-isolate';
import type {
  DeterminismSettings,
  ExportArgument,
  IsolateHost,
  ThrownError,
} from './isolate/isolate-contract';
import { nodeTimerDelay } from './node-timer-delay';
import { SandboxVerdictError } from './sandbox-verdict-error';
import { thrownErrorVerdict } from './thrown-error-verdict';
import type { ScenarioContext } from './scenario-context';
import type { CompiledSubmission } from './transpile-submission';
import { SUBMISSION_FILE_NAME } from './transpile-submission';
import { fifoTieBreak, VirtualEventQueue, type TieBreak } from './virtual-event-queue';

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
  tieBreak?: TieBreak;
  maxEvents?: number;
}

type VirtualEvent =
  | { kind: 'timer'; timerId: number }
  | {
      kind: 'settle';
      callIndex: number;
      outcome: { ok: true; value: unknown } | { ok: false; error: string };
    };

/**
 * `GraderContext.runAsync`: one scenario in a fresh context on the virtual clock. The host owns the
 * event queue and every record; the isolate only runs callbacks when the host fires them, and
 * virtual time moves only between those calls, when the isolate is idle (microtasks drained).
 */
export async function runAsyncScenario(
  env: AsyncScenarioEnvironment,
  scenario: AsyncScenario,
): Promise<AsyncRunEvidence> {
  const queue = new VirtualEventQueue<VirtualEvent>(env.tieBreak ?? fifoTieBreak);
  const maxVirtualMs = scenario.maxVirtualMs ?? DEFAULT_MAX_VIRTUAL_MS;
  const maxEvents = env.maxEvents ?? DEFAULT_MAX_EVENTS;
  let nowMs = 0;
  const calls: ServiceCallRecord[] = [];
  const callsPerService = new Map<string, number>();
  let unsettledCalls = 0;
  const timers = new Map<number, { delayMs: number; repeat: boolean; handle: number }>();
  let lastTimerId = 0;
  const tracks = new Map<number, { callIndex: number; handled: boolean }>();
  const rejectedThisTurn: number[] = [];
  const unhandledCallIndexes = new Set<number>();
  const consoleLines: string[] = [];
  let result: ScenarioResult | undefined;
  let settledAtMs: number | null = null;
  let uncaught: ThrownError | undefined;

  const host: IsolateHost = {
    log(line) {
      if (env.console.write(line)) consoleLines.push(line);
      else
        session.abort(
          new SandboxVerdictError(
            'output_limit',
            `the submission printed more than ${env.console.maxBytes} bytes of console output`,
          ),
        );
    },
    now: () => nowMs,
    setTimer(delay, repeat) {
      const delayMs = nodeTimerDelay(delay);
      const timerId = ++lastTimerId;
      timers.set(timerId, {
        delayMs,
        repeat,
        handle: queue.schedule(nowMs + delayMs, { kind: 'timer', timerId }),
      });
      return timerId;
    },
    setImmediate() {
      const timerId = ++lastTimerId;
      timers.set(timerId, {
        delayMs: 0,
        repeat: false,
        handle: queue.schedule(nowMs, { kind: 'timer', timerId }),
      });
      return timerId;
    },
    clearTimer(timerId) {
      const timer = timers.get(timerId);
      if (timer) queue.cancel(timer.handle);
      timers.delete(timerId);
    },
    callService(service, args) {
      const index = callsPerService.get(service) ?? 0;
      callsPerService.set(service, index + 1);
      const plan = planServiceCall(scenario, service, { args, index, nowMs }, session);
      const callIndex =
        calls.push({ service, index, args, startedAtMs: nowMs, settledAtMs: null, ok: false }) - 1;
      unsettledCalls++;
      queue.schedule(nowMs + plan.latencyMs, { kind: 'settle', callIndex, outcome: plan.outcome });
      return callIndex;
    },
    track(callIndex) {
      const trackId = tracks.size + 1;
      tracks.set(trackId, { callIndex, handled: false });
      return trackId;
    },
    markHandled(trackId) {
      const tracked = tracks.get(trackId);
      if (tracked) tracked.handled = true;
    },
    noteRejected(trackId) {
      rejectedThisTurn.push(trackId);
    },
    exportSettled(outcome, payload) {
      if (result) return;
      settledAtMs = nowMs;
      if (outcome === 'resolved') result = { kind: 'resolved', value: payload };
      else if (outcome === 'rejected') result = { kind: 'rejected', message: String(payload) };
      else
        result = {
          kind: 'rejected',
          message: `the returned value cannot be copied out of the sandbox (${String(payload)})`,
        };
    },
    uncaught(error) {
      uncaught ??= error;
    },
  };

  /** Node's rule, applied after each macrotask once microtasks have drained. */
  function afterMacrotask(): void {
    if (uncaught) {
      const location = env.submission.sourceMap.locateStack(uncaught.stack);
      throw thrownErrorVerdict(
        'uncaught exception in a callback',
        uncaught.message,
        env.isolate.memoryMb,
        location,
      );
    }
    for (const trackId of rejectedThisTurn.splice(0)) {
      const tracked = tracks.get(trackId)!;
      if (!tracked.handled) unhandledCallIndexes.add(tracked.callIndex);
    }
  }

  const session = env.isolate.openScenario({
    submission: env.submission,
    deadline: env.deadline,
    host,
    determinism: { epochMs: VIRTUAL_EPOCH_MS, randomState: env.randomState },
  });
  try {
    loadAndCheckExport(session, env, scenario.exportName);
    session.startExport(scenario.exportName, exportArguments(scenario));
    afterMacrotask();
    let events = 0;
    let capped = false;
    while (!(result && unsettledCalls === 0)) {
      const dueAtMs = queue.peekDueAtMs();
      if (dueAtMs === undefined) break;
      if (dueAtMs > maxVirtualMs) {
        capped = true;
        break;
      }
      if (++events > maxEvents) {
        throw new SandboxVerdictError(
          'timeout',
          `the submission kept scheduling work: more than ${maxEvents} timer and I/O events in one run`,
        );
      }
      const { payload: event } = queue.pop()!;
      nowMs = dueAtMs;
      if (event.kind === 'timer') {
        const timer = timers.get(event.timerId);
        if (!timer) continue;
        if (!timer.repeat) timers.delete(event.timerId);
        session.fireTimer(event.timerId);
        if (timer.repeat && timers.get(event.timerId) === timer)
          timer.handle = queue.schedule(nowMs + timer.delayMs, event);
      } else {
        const record = calls[event.callIndex];
        record.settledAtMs = nowMs;
        record.ok = event.outcome.ok;
        unsettledCalls--;
        session.settleCall(
          event.callIndex,
          event.outcome.ok,
          event.outcome.ok ? event.outcome.value : event.outcome.error,
        );
      }
      afterMacrotask();
    }
    return {
      result: result ?? { kind: 'pending', reason: capped ? 'virtual-time-cap' : 'no-events-left' },
      settledAtMs,
      calls,
      unhandledRejections: [...unhandledCallIndexes].sort((a, b) => a - b).map((index) => calls[index]),
      console: consoleLines,
    };
  } finally {
    session.release();
  }
}

function loadAndCheckExport(
  session: ScenarioContext,
  env: AsyncScenarioEnvironment,
  exportName: string,
): void {
  const loaded = session.loadSubmission();
  if (!loaded.ok) {
    const location = env.submission.sourceMap.locateStack(loaded.error.stack);
    const what = `${SUBMISSION_FILE_NAME} threw while loading`;
    throw thrownErrorVerdict(what, loaded.error.message, env.isolate.memoryMb, location);
  }
  const type = session.exportType(exportName);
  if (type === 'undefined')
    throw new SandboxVerdictError(
      'runtime_error',
      `${SUBMISSION_FILE_NAME} does not export a function named ${exportName}`,
    );
  if (type !== 'function')
    throw new SandboxVerdictError(
      'runtime_error',
      `${SUBMISSION_FILE_NAME} exports ${exportName}, but it is a ${type}, not a function`,
    );
}

function exportArguments(scenario: AsyncScenario): ExportArgument[] {
  return scenario.args.map((arg) => {
    if (!('service' in arg)) return { kind: 'value', value: arg.value };
    if (!scenario.services[arg.service])
      throw new SandboxVerdictError(
        'internal_error',
        `grader bug: scenario passes unknown service '${arg.service}'`,
      );
    return { kind: 'service', service: arg.service };
  });
}

/** The grader decides each call's fate; a grader that throws or plans nonsense is a grader bug, never the student's. */
function planServiceCall(
  scenario: AsyncScenario,
  service: string,
  request: { args: unknown[]; index: number; nowMs: number },
  session: ScenarioContext,
) {
  try {
    const plan = scenario.services[service]!(request);
    if (!(Number.isFinite(plan.latencyMs) && plan.latencyMs >= 0))
      throw new Error(`latencyMs must be a finite number >= 0, got ${plan.latencyMs}`);
    return plan;
  } catch (error) {
    const verdict = new SandboxVerdictError(
      'internal_error',
      `grader bug in service '${service}': ${(error as Error).message}`,
    );
    session.abort(verdict);
    throw verdict;
  }
}
