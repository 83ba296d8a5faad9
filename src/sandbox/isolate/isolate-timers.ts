/**
 * RUNS INSIDE THE ISOLATE, installed by the runtime before the student's code loads.
 *
 * Timers as Node hands them out (handles with ref/unref and a numeric id), kept here by id while
 * the host keeps them on the virtual clock and says when each fires. The grader's driver timers
 * live in the same table but the submission's clearTimeout leaves them alone. Stringified like the
 * runtime: it may use only its parameters and built-ins, captured first.
 */
import type { IsolateHost } from './isolate-contract';

type Callback = (...args: unknown[]) => unknown;
interface TimerEntry {
  callback: Callback;
  args: unknown[];
  repeat: boolean;
  graderOwned: boolean;
}

export interface IsolateTimers {
  schedule(
    kind: 'timeout' | 'interval' | 'immediate',
    callback: unknown,
    delay: unknown,
    args: unknown[],
  ): object;
  clear(handle: unknown): void;
  /** A timer of the grader's driver, with Node's setTimeout rules. */
  graderTimeout(callback: Callback, delay: unknown): void;
  fireTimer(timerId: number): void;
}

export function installIsolateTimers(
  host: IsolateHost,
  helpers: { formatValue(value: unknown): string; reportUncaught(error: unknown): void },
): IsolateTimers {
  'use strict';
  const apply = Reflect.apply;
  const createObject = Object.create;
  const freeze = Object.freeze;
  const NativeTypeError = TypeError;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;

  const timersById: Record<number, TimerEntry> = createObject(null);
  const timerIdByHandle = new WeakMap<object, number>();

  const timerHandlePrototype = freeze({
    ref() {
      return this;
    },
    unref() {
      return this;
    },
    hasRef() {
      return true;
    },
    [Symbol.toPrimitive]() {
      return apply(weakMapGet, timerIdByHandle, [this]);
    },
  });

  return {
    schedule(kind, callback, delay, args) {
      if (typeof callback !== 'function')
        throw new NativeTypeError(
          'The "callback" argument must be of type function. Received ' + helpers.formatValue(callback),
        );
      const repeat = kind === 'interval';
      const timerId = kind === 'immediate' ? host.setImmediate() : host.setTimer(delay, repeat);
      timersById[timerId] = { callback: callback as Callback, args, repeat, graderOwned: false };
      const handle = createObject(timerHandlePrototype) as object;
      apply(weakMapSet, timerIdByHandle, [handle, timerId]);
      return handle;
    },
    clear(handle) {
      const timerId =
        typeof handle === 'object' && handle !== null ? apply(weakMapGet, timerIdByHandle, [handle]) : handle;
      if (typeof timerId !== 'number' || timersById[timerId] === undefined) return;
      if (timersById[timerId].graderOwned) return;
      delete timersById[timerId];
      host.clearTimer(timerId);
    },
    graderTimeout(callback, delay) {
      const timerId = host.setGraderTimer(delay);
      timersById[timerId] = { callback, args: [], repeat: false, graderOwned: true };
    },
    fireTimer(timerId) {
      const entry = timersById[timerId];
      if (entry === undefined) return;
      if (!entry.repeat) delete timersById[timerId];
      try {
        apply(entry.callback, undefined, entry.args);
      } catch (error) {
        helpers.reportUncaught(error);
      }
    },
  };
}
