import type { ServiceCallPlan, VirtualClockSettings } from '../../graders/grader-api';
import type { ExportOutcomeKind, IsolateHost, ThrownError } from './isolate/isolate-contract';
import { nodeTimerDelay } from './node-timer-delay';
import type { ScenarioContext } from './scenario-context';
import { graderBug, ScenarioServices, settledOutcome } from './scenario-services';
import { SandboxVerdictError } from './sandbox-verdict-error';
import { isAllocationFailure, thrownErrorVerdict } from './thrown-error-verdict';
import { SUBMISSION_FILE_NAME } from './transpile-submission';
import { fifoTieBreak, seededTieBreak, VirtualEventQueue } from './virtual-event-queue';
import {
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_VIRTUAL_MS,
  VIRTUAL_EPOCH_MS,
  type AsyncScenarioEnvironment,
} from './virtual-clock-environment';
import { VirtualClockRecords } from './virtual-clock-records';

type VirtualEvent =
  | { kind: 'timer'; timerId: number; graderOwned: boolean }
  | { kind: 'settle'; callIndex: number; service: string; outcome: ServiceCallPlan['outcome'] }
  | { kind: 'operation'; index: number };

interface TimerState {
  delayMs: number;
  repeat: boolean;
  handle: number;
  graderOwned: boolean;
}

/** Why the event loop stopped short of `done`. */
export type LoopEnd = 'done' | 'no-events-left' | 'virtual-time-cap';

/**
 * The host side of one async scenario, shared by export runs (async-scenario-run.ts) and driver
 * runs (async-driver-run.ts): a fresh context, the event queue, and the loop that fires events.
 * The isolate only runs callbacks when the host fires them; virtual time moves between those calls,
 * and during one only by the cost of a CPU-bound service. Every record lives here, on the host.
 */
export class VirtualClockRun {
  readonly session: ScenarioContext;
  readonly records: VirtualClockRecords;
  nowMs = 0;
  readonly services: ScenarioServices;
  private readonly queue: VirtualEventQueue<VirtualEvent>;
  private readonly timers = new Map<number, TimerState>();
  private lastTimerId = 0;
  private readonly immediatesThisTurn: number[] = [];
  /** What ends the run once the macrotask is over: an uncaught exception, or a buffer that could not be allocated. */
  private ending: { what: string; error: ThrownError } | undefined;
  private exportSettled: IsolateHost['exportSettled'] = () => undefined;

  constructor(
    private readonly env: AsyncScenarioEnvironment,
    private readonly settings: VirtualClockSettings,
  ) {
    this.queue = new VirtualEventQueue<VirtualEvent>(
      settings.scheduleSeed === undefined ? fifoTieBreak : seededTieBreak(settings.scheduleSeed),
    );
    this.services = new ScenarioServices(settings);
    this.records = new VirtualClockRecords(() => this.nowMs);
    this.session = env.isolate.openScenario({
      submission: env.submission,
      deadline: env.deadline,
      host: this.host(),
      determinism: { epochMs: VIRTUAL_EPOCH_MS, randomState: env.randomState },
    });
  }

  onExportSettled(handler: IsolateHost['exportSettled']): void {
    this.exportSettled = handler;
  }

  /** Runs the module body; a throw is the submission's runtime error, pointing at its line. */
  loadSubmission(): void {
    const loaded = this.session.loadSubmission();
    if (!loaded.ok) throw this.thrownVerdict(`${SUBMISSION_FILE_NAME} threw while loading`, loaded.error);
  }

  /**
   * A rejection (of the export, of an operation) is evidence for the checks, except one with a
   * buffer the isolate could not hold: that ends the run as memory_limit, as the same error thrown
   * anywhere else does (thrown-error-verdict.ts).
   */
  noteRejection(what: string, thrown: ThrownError | undefined): void {
    if (thrown && isAllocationFailure(thrown.message)) this.ending ??= { what, error: thrown };
  }

  thrownVerdict(what: string, error: ThrownError): SandboxVerdictError {
    const location = this.env.submission.sourceMap.locateStack(error.stack);
    return thrownErrorVerdict(what, error.message, this.env.isolate.memoryMb, location);
  }

  /** Node's rules, applied after each macrotask once microtasks have drained. */
  afterMacrotask(): void {
    // Node runs immediates in the check phase, after the timers that are due by then: an immediate
    // is queued as of the end of the macrotask that set it, so CPU work after setImmediate() lets
    // a timer that came due meanwhile go first.
    for (const timerId of this.immediatesThisTurn.splice(0)) {
      const timer = this.timers.get(timerId);
      if (timer)
        timer.handle = this.queue.schedule(this.nowMs, { kind: 'timer', timerId, graderOwned: false });
    }
    if (this.ending) throw this.thrownVerdict(this.ending.what, this.ending.error);
    this.records.endOfMacrotask();
  }

  /** Fires events until `done()` holds, nothing that keeps the run alive is left, or time runs out. */
  runLoop(done: () => boolean): LoopEnd {
    const maxEvents = this.env.maxEvents ?? DEFAULT_MAX_EVENTS;
    const maxVirtualMs = this.settings.maxVirtualMs ?? DEFAULT_MAX_VIRTUAL_MS;
    let events = 0;
    while (!done()) {
      if (!this.queue.hasEventsKeepingAlive()) return 'no-events-left';
      if (this.queue.peekDueAtMs()! > maxVirtualMs) return 'virtual-time-cap';
      const { dueAtMs, payload: event } = this.queue.pop()!;
      // The grader's own timers are bounded by the time cap; the budget is the submission's.
      if (!(event.kind === 'timer' && event.graderOwned) && ++events > maxEvents) {
        throw new SandboxVerdictError(
          'timeout',
          `the submission kept scheduling work: more than ${maxEvents} timer and I/O events in one run`,
        );
      }
      // An event due while a CPU-bound service ran fires late, as behind a busy event loop.
      this.nowMs = Math.max(this.nowMs, dueAtMs);
      this.fire(event);
      this.afterMacrotask();
    }
    return 'done';
  }

  release(): void {
    this.session.release();
  }

  private fire(event: VirtualEvent): void {
    if (event.kind === 'timer') {
      const timer = this.timers.get(event.timerId);
      if (!timer) return;
      if (!timer.repeat) this.timers.delete(event.timerId);
      this.session.fireTimer(event.timerId);
      if (timer.repeat && this.timers.get(event.timerId) === timer)
        timer.handle = this.queue.schedule(this.nowMs + timer.delayMs, event);
    } else if (event.kind === 'settle') {
      const outcome = this.plan(event.service, () => settledOutcome(event.outcome, this.nowMs));
      this.records.settleCall(event.callIndex, outcome.ok);
      this.session.settleCall(event.callIndex, outcome.ok, outcome.ok ? outcome.value : outcome.error);
    } else {
      this.records.startOperation(event.index);
      this.session.startOperation(event.index);
    }
  }

  private addTimer(delayMs: number, repeat: boolean, graderOwned = false) {
    const timerId = ++this.lastTimerId;
    const event: VirtualEvent = { kind: 'timer', timerId, graderOwned };
    const handle = this.queue.schedule(this.nowMs + delayMs, event, { keepsAlive: !graderOwned });
    this.timers.set(timerId, { delayMs, repeat, handle, graderOwned });
    return timerId;
  }

  private host(): IsolateHost {
    const records = () => this.records;
    return {
      log: (line) => {
        if (this.env.console.write(line)) records().consoleLines.push(line);
        else
          this.abort(
            new SandboxVerdictError(
              'output_limit',
              `the submission printed more than ${this.env.console.maxBytes} bytes of console output`,
            ),
          );
      },
      now: () => this.nowMs,
      setTimer: (delay, repeat) => this.addTimer(nodeTimerDelay(delay), repeat),
      setImmediate: () => {
        const timerId = ++this.lastTimerId;
        this.timers.set(timerId, { delayMs: 0, repeat: false, handle: -1, graderOwned: false });
        this.immediatesThisTurn.push(timerId);
        return timerId;
      },
      setGraderTimer: (delay) => this.addTimer(nodeTimerDelay(delay), false, true),
      clearTimer: (timerId) => {
        const timer = this.timers.get(timerId);
        if (timer && !timer.graderOwned) {
          this.queue.cancel(timer.handle);
          this.timers.delete(timerId);
        }
      },
      callService: (service, args) => {
        const index = records().nextCallIndex(service);
        const plan = this.plan(service, () =>
          this.services.planIo(service, { args, index, nowMs: this.nowMs }),
        );
        const callIndex = records().startCall(service, index, args);
        // I/O completions are the ties Node leaves unordered (virtual-event-queue.ts).
        this.queue.schedule(
          this.nowMs + plan.latencyMs,
          { kind: 'settle', callIndex, service, outcome: plan.outcome },
          { ordered: false },
        );
        return callIndex;
      },
      callCpuService: (service, args) => {
        const index = records().nextCallIndex(service);
        const plan = this.plan(service, () =>
          this.services.planCpu(service, { args, index, nowMs: this.nowMs }),
        );
        records().recordCpuCall(service, index, args, plan.costMs);
        this.nowMs += plan.costMs;
        return plan.value;
      },
      track: (callIndex) => records().track(callIndex),
      markHandled: (trackId) => records().markHandled(trackId),
      noteRejected: (trackId) => records().noteRejected(trackId),
      exportSettled: (outcome, payload, thrown) => this.exportSettled(outcome, payload, thrown),
      registerOperation: (label, delay) => {
        if (!(Number.isFinite(delay) && delay >= 0))
          this.abort(graderBug(`operation '${label}' has delay ${delay}; give a finite number >= 0`));
        const index = records().registerOperation(label, delay === 0);
        if (delay > 0) this.queue.schedule(this.nowMs + delay, { kind: 'operation', index });
        return index;
      },
      operationSettled: (index, outcome: ExportOutcomeKind, payload, thrown) => {
        this.noteRejection(`${records().operations[index]?.label ?? 'an operation'} failed`, thrown);
        records().settleOperation(index, outcome, payload);
      },
      mark: (label) => records().mark(label),
      uncaught: (error) => {
        this.ending ??= { what: 'uncaught exception in a callback', error };
      },
    };
  }

  /** The grader decides each call's fate; a grader that throws or plans nonsense is a grader bug, never the student's. */
  private plan<T>(service: string, plan: () => T): T {
    try {
      return plan();
    } catch (error) {
      this.abort(graderBug(`service '${service}' failed: ${(error as Error)?.message ?? String(error)}`));
    }
  }

  private abort(verdict: SandboxVerdictError): never {
    this.session.abort(verdict);
    throw verdict;
  }
}
