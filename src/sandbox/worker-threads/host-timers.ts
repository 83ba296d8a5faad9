import type { TimerKind } from '../isolate/worker-threads/worker-thread-contract';
import { nodeTimerDelay } from '../node-timer-delay';

interface HostTimer {
  kind: TimerKind;
  delayMs: number;
  refed: boolean;
  /** The armed Node timer; undefined while a fired interval waits for its callback to run. */
  handle: NodeJS.Timeout | NodeJS.Immediate | undefined;
}

/**
 * The real Node timers behind one thread's setTimeout / setInterval / setImmediate. A timer that
 * fires becomes a `timer` event in the thread's queue. An interval is re-armed only after its
 * callback ran, as Node does, so a busy thread gets one late tick, not a backlog.
 */
export class HostTimers {
  private readonly timers = new Map<number, HostTimer>();

  constructor(private readonly fired: (timerId: number) => void) {}

  set(timerId: number, kind: TimerKind, delay: unknown): void {
    const previous = this.timers.get(timerId);
    this.cancel(timerId);
    const timer: HostTimer = {
      kind,
      delayMs: kind === 'immediate' ? 0 : nodeTimerDelay(delay),
      refed: previous?.refed ?? true,
      handle: undefined,
    };
    this.timers.set(timerId, timer);
    this.arm(timerId, timer);
  }

  clear(timerId: number): void {
    this.cancel(timerId);
  }

  ref(timerId: number, refed: boolean): void {
    const timer = this.timers.get(timerId);
    if (timer) timer.refed = refed;
  }

  /** Called once the thread ran a timer's callback: an interval still set starts its next period. */
  delivered(timerId: number): void {
    const timer = this.timers.get(timerId);
    if (timer && timer.kind === 'interval' && timer.handle === undefined) this.arm(timerId, timer);
  }

  /** Timers that keep a worker alive (Node's refed timers). */
  get refedCount(): number {
    let count = 0;
    for (const timer of this.timers.values()) if (timer.refed) count++;
    return count;
  }

  get count(): number {
    return this.timers.size;
  }

  dispose(): void {
    for (const timerId of [...this.timers.keys()]) this.cancel(timerId);
  }

  private arm(timerId: number, timer: HostTimer): void {
    const fire = () => {
      timer.handle = undefined;
      if (timer.kind !== 'interval') this.timers.delete(timerId);
      this.fired(timerId);
    };
    timer.handle = timer.kind === 'immediate' ? setImmediate(fire) : setTimeout(fire, timer.delayMs);
  }

  private cancel(timerId: number): void {
    const timer = this.timers.get(timerId);
    if (!timer) return;
    this.timers.delete(timerId);
    if (timer.handle === undefined) return;
    if (timer.kind === 'immediate') clearImmediate(timer.handle as NodeJS.Immediate);
    else clearTimeout(timer.handle as NodeJS.Timeout);
  }
}
