import type { MainRunEvidence, WorkerReport } from '../../../graders/grader-api';
import type { ConsoleBudget } from '../console-budget';
import type { GradingDeadline } from '../grading-deadline';
import { timeoutVerdict } from '../isolate-error-verdict';
import {
  THREAD_ID_COUNTER_BYTES,
  type SettledKind,
  type ThrownValue,
} from '../isolate/worker-threads/worker-thread-contract';
import type { SourceLocation } from '../../grading/grade-report';
import { SandboxVerdictError } from '../sandbox-verdict-error';
import { allocationFailureVerdict, isAllocationFailure } from '../thrown-error-verdict';
import { DEFAULT_MAX_THREADS } from '../threads/thread-runtime';
import { SUBMISSION_FILE_NAME, type CompiledSubmission } from '../transpile-submission';
import { parseHostOperation, type HostOperation } from './host-operations';
import { HostAsyncWaits } from './host-async-waits';
import { mainRunEvidence, takeSnapshot, type Snapshot, type ThreadRecord } from './main-run-records';
import { internalError, missingExportVerdict, thrownFromRejection } from './main-run-verdicts';
import { ThreadIsolate } from './thread-isolate';
import { ThreadLoop } from './thread-loop';

/** After the export settles, workers get this long to end by themselves before they are stopped. */
const SETTLE_GRACE_MS = 100;

export interface MainThreadRunRequest {
  submission: CompiledSubmission;
  exportName: string;
  /** Structured-cloned into the main thread. */
  args: unknown[];
  /** Real time from the call until the export's promise settles; then the result is `timeout`. */
  wallTimeMs: number;
  /** The grading's budget: passing it is a `timeout` verdict, not evidence. */
  deadline: GradingDeadline;
  memoryMbPerThread: number;
  console: ConsoleBudget;
  /** Worker threads that may run at once (default 16, as runThreads). */
  maxWorkers?: number;
}

/**
 * `ctx.runMain`: a fresh main thread (threadId 0) loads the submission and calls one export on real
 * time; the submission starts its own threads with node:worker_threads, each its own isolate. The
 * host routes every message and event and records what happened; every isolate is disposed when
 * the run ends. Fatal outcomes (memory, console, thread limit, the grading deadline, a crash of the
 * main thread) are thrown as SandboxVerdictError.
 */
export async function runMainThread(request: MainThreadRunRequest): Promise<MainRunEvidence> {
  const run = new MainThreadRun(request);
  try {
    return await run.run();
  } finally {
    run.stopAll();
  }
}

class MainThreadRun {
  private readonly threads = new Map<number, ThreadRecord>();
  private readonly threadIds = new SharedArrayBuffer(THREAD_ID_COUNTER_BYTES);
  private readonly asyncWaits = new HostAsyncWaits();
  private readonly consoleLines: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly maxWorkers: number;
  private main!: ThreadRecord;
  private atCall: Snapshot | undefined;
  private atEnd: Snapshot | undefined;
  private result: MainRunEvidence['result'] | undefined;
  private verdict: SandboxVerdictError | undefined;
  private over = false;
  private finishRun!: () => void;
  private readonly finished = new Promise<void>((resolve) => (this.finishRun = resolve));

  constructor(private readonly request: MainThreadRunRequest) {
    this.maxWorkers = request.maxWorkers ?? DEFAULT_MAX_THREADS;
  }

  async run(): Promise<MainRunEvidence> {
    const remainingMs = this.request.deadline.remainingMs();
    if (remainingMs <= 0) throw timeoutVerdict(this.request.deadline);
    this.later(remainingMs, () => this.deadlinePassed());
    this.main = this.startThread(0, null, null);
    await this.finished;
    this.stopAll();
    if (this.verdict) throw this.verdict;
    return this.evidence();
  }

  /** Ends every thread still running (their report says `running`), every timer and host wait. Idempotent. */
  stopAll(): void {
    this.over = true;
    for (const record of this.threads.values()) {
      record.loop.end();
      record.isolate.dispose();
    }
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
    this.asyncWaits.releaseAll();
  }

  private startThread(threadId: number, parent: ThreadRecord | null, workerData: unknown): ThreadRecord {
    const isolate = new ThreadIsolate({
      threadId,
      isMainThread: parent === null,
      workerData,
      memoryMb: this.request.memoryMbPerThread,
      threadIds: this.threadIds,
      onOperation: (op, args) =>
        this.guard(
          () => this.operation(record, op, args),
          () => record.loop.operationArrived(),
        ),
    });
    const record: ThreadRecord = {
      threadId,
      parent,
      isolate,
      loop: undefined as unknown as ThreadLoop,
      children: new Set(),
      refedByParent: true,
      loaded: false,
      spawnedAt: performance.now(),
      onlineAt: null,
      endedAt: null,
      end: 'running',
    };
    record.loop = new ThreadLoop(isolate, {
      loaded: () => this.loaded(record),
      idle: () => this.guard(() => this.idle(record)),
      exportMissing: (type) => this.abort(missingExportVerdict(this.request.exportName, type)),
      rejected: (error) => this.guard(() => this.threw(record, thrownFromRejection(error), null, true)),
      died: () => this.abort(this.memoryVerdict(record)),
      failed: (error) => this.abort(internalError(error)),
    });
    this.threads.set(threadId, record);
    parent?.children.add(record);
    void this.boot(record);
    return record;
  }

  private async boot(record: ThreadRecord): Promise<void> {
    const installed = await record.isolate.install();
    if (this.over || record.end !== 'running') return;
    if (installed.kind === 'died') return this.abort(this.memoryVerdict(record));
    if (installed.kind === 'rejected') return this.abort(internalError(installed.error));
    record.onlineAt = performance.now();
    record.parent?.loop.push({ type: 'worker-online', threadId: record.threadId });
    record.loop.start(this.request.submission);
  }

  private loaded(record: ThreadRecord): void {
    record.loaded = true;
    if (record !== this.main) return;
    this.atCall = takeSnapshot(this.main);
    this.later(this.request.wallTimeMs, () => this.wallTimePassed());
    // Right after the module body, before any timer: as when Node's caller imports, then calls.
    this.main.loop.pushFirst({ type: 'call-export', name: this.request.exportName, args: this.request.args });
  }

  private operation(record: ThreadRecord, op: unknown, args: unknown[]): void {
    if (this.over || record.end !== 'running') return;
    const operation = parseHostOperation(op, args);
    if (operation) this.perform(record, operation);
  }

  private perform(record: ThreadRecord, { op, args }: HostOperation): void {
    const loop = record.loop;
    switch (op) {
      case 'log':
        return this.log(args[0]);
      case 'timer-set':
        return loop.timers.set(args[0], args[1], args[2]);
      case 'timer-clear':
        return loop.timers.clear(args[0]);
      case 'timer-ref':
        return loop.timers.ref(args[0], args[1]);
      case 'spawn':
        return this.spawn(record, args[0], args[1]);
      case 'post-to-worker':
        return this.childOf(record, args[0])?.loop.deliverToPort(args[1]);
      case 'post-to-parent':
        if (record.parent?.end === 'running')
          record.parent.loop.push({ type: 'worker-message', threadId: record.threadId, value: args[0] });
        return;
      case 'terminate': {
        const child = this.childOf(record, args[0]);
        return child && this.endThread(child, 'terminated');
      }
      case 'worker-ref': {
        const child = this.childOf(record, args[0]);
        if (child) child.refedByParent = args[1];
        return;
      }
      case 'port-listening':
        return loop.setPortListening(args[0]);
      case 'port-ref':
        return loop.setPortRefed(args[0]);
      case 'port-close':
        return loop.closePort();
      case 'wait-async':
        return this.asyncWaits.wait(loop, ...args);
      case 'uncaught':
        return this.threw(record, args[0], args[1], false);
      case 'settled':
        if (record === this.main) this.settle(args[0], args[1]);
        return;
    }
  }

  private log(line: string): void {
    if (this.request.console.write(line)) this.consoleLines.push(line);
    else
      this.abort(
        new SandboxVerdictError(
          'output_limit',
          `the submission printed more than ${this.request.console.maxBytes} bytes of console output`,
        ),
      );
  }

  private spawn(parent: ThreadRecord, threadId: number, workerData: unknown): void {
    if (this.threads.has(threadId)) return; // ids come from a counter only the runtimes hold; a repeat is forged
    const running = this.runningWorkers();
    if (running >= this.maxWorkers) {
      return this.abort(
        new SandboxVerdictError(
          'runtime_error',
          `new Worker(...) was called while ${running} worker threads were running; a submission may run at most ${this.maxWorkers} worker threads at once`,
        ),
      );
    }
    this.startThread(threadId, parent, workerData);
  }

  private childOf(parent: ThreadRecord, threadId: number): ThreadRecord | undefined {
    const child = this.threads.get(threadId);
    return child?.parent === parent && child.end === 'running' ? child : undefined;
  }

  /** The thread's event loop has nothing queued: a worker with nothing to keep it alive exits, as in Node. */
  private idle(record: ThreadRecord): void {
    if (this.over || record.end !== 'running') return;
    if (record === this.main) return this.checkMainCanSettle();
    const refedChildren = [...record.children].some(
      (child) => child.end === 'running' && child.refedByParent,
    );
    if (!record.loop.keepsAlive() && !refedChildren) this.endThread(record, 'exited');
  }

  /** Nothing left that could settle the export's promise (no timer, no worker, no message): stop now, not at the wall time. */
  private checkMainCanSettle(): void {
    if (this.result || !this.atCall) return;
    if (this.main.loop.canStillAct() || this.runningWorkers() > 0) return;
    this.stopWithTimeout();
  }

  private threw(
    record: ThreadRecord,
    thrown: ThrownValue,
    unhandledWorkerError: number | null,
    rejection: boolean,
  ): void {
    if (this.over || record.end !== 'running') return;
    const location = this.request.submission.sourceMap.locateStack(thrown.stack);
    // A buffer a thread could not allocate is memory_limit wherever it is thrown, as in grader threads.
    if (thrown.isError && isAllocationFailure(thrown.text))
      return this.abort(this.allocationVerdict(this.describeThrow(record, rejection), thrown, location));
    if (record !== this.main) {
      this.endThread(record, 'threw', { message: thrown.text, ...(location ? { location } : {}) }, thrown);
      return;
    }
    let message: string;
    if (!record.loaded) message = `${SUBMISSION_FILE_NAME} threw while loading: ${thrown.text}`;
    else if (unhandledWorkerError !== null)
      message = `worker thread ${unhandledWorkerError} threw ${thrown.text}, and the main thread has no 'error' listener on that Worker (in Node this ends the program)`;
    else if (rejection)
      message = `unhandled promise rejection on the main thread: ${thrown.text} (a promise was rejected and nothing handled it; in Node this ends the program)`;
    else message = `uncaught exception on the main thread: ${thrown.text}`;
    this.abort(new SandboxVerdictError('runtime_error', message, location));
  }

  /** A worker ends: its isolate goes at once, its own workers are terminated, and its parent hears 'error' and 'exit'. */
  private endThread(
    record: ThreadRecord,
    end: WorkerReport['end'],
    error?: WorkerReport['error'],
    thrown?: ThrownValue,
  ): void {
    if (record.end !== 'running') return;
    record.end = end;
    record.endedAt = performance.now();
    if (error) record.error = error;
    record.loop.end();
    record.isolate.dispose();
    for (const child of record.children) this.endThread(child, 'terminated');
    const parent = record.parent;
    if (parent && parent.end === 'running') {
      const threadId = record.threadId;
      if (thrown) parent.loop.push({ type: 'worker-error', threadId, error: thrown });
      parent.loop.push({ type: 'worker-exit', threadId, exitCode: end === 'exited' ? 0 : 1 });
    }
    if (this.result && this.runningWorkers() === 0) this.finish();
  }

  private settle(kind: SettledKind, value: unknown): void {
    if (this.result) return;
    this.atEnd = takeSnapshot(this.main);
    if (kind === 'resolved') this.result = { kind: 'resolved', value };
    else if (kind === 'uncopyable')
      this.result = {
        kind: 'rejected',
        message: `the returned value cannot be copied out of the sandbox (${String(value)})`,
      };
    else {
      const thrown = value as ThrownValue;
      const location = this.request.submission.sourceMap.locateStack(thrown.stack);
      if (thrown.isError && isAllocationFailure(thrown.text))
        return this.abort(this.allocationVerdict(`${this.request.exportName}() failed`, thrown, location));
      this.result = { kind: 'rejected', message: String(thrown.text), ...(location ? { location } : {}) };
    }
    if (this.runningWorkers() === 0) return this.finish();
    this.later(SETTLE_GRACE_MS, () => this.finish());
  }

  private wallTimePassed(): void {
    if (this.result || this.over) return;
    if (this.request.deadline.passed()) return this.abort(timeoutVerdict(this.request.deadline));
    this.stopWithTimeout();
  }

  private deadlinePassed(): void {
    if (this.result) return this.finish();
    this.abort(timeoutVerdict(this.request.deadline));
  }

  private stopWithTimeout(): void {
    this.atEnd = takeSnapshot(this.main);
    this.result = { kind: 'timeout' };
    this.finish();
  }

  private abort(verdict: SandboxVerdictError): void {
    if (this.over) return;
    this.verdict ??= verdict;
    this.finish();
  }

  private finish(): void {
    if (this.over) return;
    this.over = true;
    this.finishRun();
  }

  /** Runs a host handler; a bug in it ends the run as internal_error instead of vanishing in isolated-vm. */
  private guard(handle: () => void, always?: () => void): void {
    try {
      handle();
    } catch (error) {
      this.abort(internalError(error));
    } finally {
      always?.();
    }
  }

  private runningWorkers(): number {
    let running = 0;
    for (const record of this.threads.values())
      if (record !== this.main && record.end === 'running') running++;
    return running;
  }

  private later(ms: number, action: () => void): void {
    this.timers.push(setTimeout(() => this.guard(action), ms));
  }

  /** Who threw, and how, in the words of a verdict: "worker thread 2 threw", "... while loading". */
  private describeThrow(record: ThreadRecord, rejection: boolean): string {
    if (record !== this.main) return `worker thread ${record.threadId} threw`;
    if (!record.loaded) return `${SUBMISSION_FILE_NAME} threw while loading`;
    return rejection
      ? 'unhandled promise rejection on the main thread'
      : 'uncaught exception on the main thread';
  }

  private allocationVerdict(
    what: string,
    thrown: ThrownValue,
    location: SourceLocation | undefined,
  ): SandboxVerdictError {
    return allocationFailureVerdict(what, thrown.text, this.request.memoryMbPerThread, location);
  }

  private memoryVerdict(record: ThreadRecord): SandboxVerdictError {
    const who = record === this.main ? 'the main thread' : `worker thread ${record.threadId}`;
    return new SandboxVerdictError(
      'memory_limit',
      `${who} used more than the ${this.request.memoryMbPerThread} MB of memory a thread may use`,
    );
  }

  private evidence(): MainRunEvidence {
    return mainRunEvidence({
      threads: [...this.threads.values()],
      main: this.main,
      atCall: this.atCall!,
      atEnd: this.atEnd!,
      result: this.result!,
      console: this.consoleLines,
    });
  }
}
