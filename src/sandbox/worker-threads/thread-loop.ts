import type { DispatchReply, ThreadEvent } from '../isolate/worker-threads/worker-thread-contract';
import type { CompiledSubmission } from '../transpile-submission';
import { HostTimers } from './host-timers';
import type { IsolateCallEnd, ThreadIsolate } from './thread-isolate';

/** What the loop tells the run. Each hook is called with every operation of the macrotask before it already handled. */
export interface ThreadLoopHooks {
  /** The module body ran without throwing (a throw arrives as an `uncaught` operation). */
  loaded(): void;
  /** Nothing is queued and nothing runs: the run decides whether the thread's event loop is empty. */
  idle(): void;
  /** A `call-export` found no function: its `typeof`. */
  exportMissing(type: string): void;
  /** A promise was left rejected with no handler (an uncaught error in Node). */
  rejected(error: unknown): void;
  /** The isolate is gone without the run ending it: it passed its memory limit. */
  died(message: string): void;
  /** A bug on the host side: the run ends as internal_error. */
  failed(error: unknown): void;
}

/**
 * One thread's event loop, kept on the host: a FIFO of events delivered one macrotask at a time
 * (a thread busy computing simply lets them queue, as in Node), its timers, the messages for its
 * `parentPort`, and the async waits it has pending. The loop decides nothing about the run.
 */
export class ThreadLoop {
  readonly timers: HostTimers;
  /** Messages for parentPort while it has no 'message' listener: Node's port queues them too. */
  private readonly portQueue: unknown[] = [];
  private portListening = false;
  private portRefed = true;
  private portClosed = false;
  private inbox: ThreadEvent[] = [];
  private busy = true;
  private ended = false;
  private received = 0;
  private operationsWaiter: (() => void) | undefined;
  /** Atomics.waitAsync calls the host waits on for this thread; those with a timeout can still end by themselves. */
  pendingWaits = { all: 0, timed: 0 };

  constructor(
    private readonly thread: ThreadIsolate,
    private readonly hooks: ThreadLoopHooks,
  ) {
    this.timers = new HostTimers((timerId) => this.push({ type: 'timer', timerId }));
  }

  /** Loads the submission as the first macrotask; events pushed meanwhile wait for it. */
  start(submission: CompiledSubmission): void {
    void this.macrotask(
      () => this.thread.loadSubmission(submission),
      (ok) => ok && this.hooks.loaded(),
    );
  }

  push(event: ThreadEvent): void {
    if (this.ended) return;
    this.inbox.push(event);
    this.pump();
  }

  /** Runs `event` before anything already queued (the export call right after the module body). */
  pushFirst(event: ThreadEvent): void {
    if (this.ended) return;
    this.inbox.unshift(event);
    this.pump();
  }

  deliverToPort(value: unknown): void {
    if (this.ended || this.portClosed) return;
    if (this.portListening) this.push({ type: 'port-message', value });
    else this.portQueue.push(value);
  }

  setPortListening(listening: boolean): void {
    if (listening === this.portListening) return;
    this.portListening = listening;
    if (listening) {
      for (const value of this.portQueue.splice(0)) this.inbox.push({ type: 'port-message', value });
      this.pump();
      return;
    }
    // Messages queued for a listener that is gone go back to the port, in order.
    const kept = this.inbox.filter((event) => event.type !== 'port-message');
    const held = this.inbox.filter((event) => event.type === 'port-message');
    this.inbox = kept;
    this.portQueue.unshift(...held.map((event) => (event as { value: unknown }).value));
  }

  setPortRefed(refed: boolean): void {
    this.portRefed = refed;
  }

  closePort(): void {
    this.portClosed = true;
    this.portListening = false;
    this.portQueue.length = 0;
    this.inbox = this.inbox.filter((event) => event.type !== 'port-message');
  }

  /** Node's rule for a worker: refed timers, a listening refed port, or work queued or running keep it alive. */
  keepsAlive(): boolean {
    if (this.busy || this.inbox.length > 0) return true;
    if (this.timers.refedCount > 0) return true;
    return this.portListening && this.portRefed && !this.portClosed;
  }

  /** Whether this thread can still do anything by itself: any timer, a timed async wait, or queued work. */
  canStillAct(): boolean {
    return this.busy || this.inbox.length > 0 || this.timers.count > 0 || this.pendingWaits.timed > 0;
  }

  /** One more operation of this thread has been handled by the run. */
  operationArrived(): void {
    this.received++;
    if (this.operationsWaiter && this.received >= this.thread.sentOperations()) {
      const resume = this.operationsWaiter;
      this.operationsWaiter = undefined;
      resume();
    }
  }

  end(): void {
    this.ended = true;
    this.inbox = [];
    this.portQueue.length = 0;
    this.timers.dispose();
    this.operationsWaiter?.();
  }

  private pump(): void {
    if (this.busy || this.ended) return;
    const event = this.inbox.shift();
    if (event === undefined) return this.hooks.idle();
    this.busy = true;
    void this.macrotask(
      () => this.thread.dispatch(event),
      (reply) => this.afterDispatch(event, reply),
    );
  }

  private afterDispatch(event: ThreadEvent, reply: DispatchReply): void {
    if (reply === 'undelivered' && event.type === 'port-message') this.portQueue.unshift(event.value);
    else if (reply.startsWith('export-type:')) this.hooks.exportMissing(reply.slice('export-type:'.length));
    if (event.type === 'timer') this.timers.delivered(event.timerId);
  }

  /**
   * Runs one call into the isolate, then waits until every operation it sent has been handled
   * (isolated-vm delivers them in order, but the call's end may overtake the last ones), so that,
   * e.g., a worker's last message reaches its parent before its 'exit'.
   */
  private async macrotask<T>(
    call: () => Promise<IsolateCallEnd<T>>,
    then: (value: T) => void,
  ): Promise<void> {
    try {
      const end = await call();
      if (this.ended) return;
      if (end.kind === 'died') return this.hooks.died(end.message);
      await this.operationsHandled();
      if (this.ended) return;
      if (end.kind === 'rejected') return this.hooks.rejected(end.error);
      then(end.value);
      if (this.ended) return;
      this.busy = false;
      this.pump();
    } catch (error) {
      this.hooks.failed(error);
    }
  }

  private operationsHandled(): Promise<void> | void {
    if (this.received >= this.thread.sentOperations()) return;
    return new Promise<void>((resolve) => (this.operationsWaiter = resolve));
  }
}
