/**
 * RUNS INSIDE THE ISOLATE of the single-isolate exercises (async, on the virtual clock), after the
 * runtime's timers are installed and before the submission loads.
 *
 * Stringified: it may use only its parameters and built-ins, captured first.
 *
 * `Atomics.waitAsync` with a finite timeout makes V8 post a delayed task, which isolated-vm does not
 * run: in 7.0.2 the wait never times out, in 5.0.4 the whole process aborted (SIGABRT on
 * `waitAsync(cells, 0, 0, 10)`; src/sandbox/platform/wait-async.spec.ts).
 * This isolate is the only agent, so nothing but its own `Atomics.notify` can wake a waiter: the
 * waiters are kept here, a timeout runs on the virtual clock (so `'timed-out'` is as deterministic
 * as any timer), and `notify` wakes them in the order they started waiting, as the built-in would.
 * The built-ins still validate every call and answer `'not-equal'` and zero timeouts themselves.
 */
type Callback = (...args: unknown[]) => unknown;

interface AsyncWaiter {
  buffer: unknown;
  byteOffset: number;
  settle: (result: string) => void;
  timer: unknown;
  next: AsyncWaiter | undefined;
}

export function installSingleAgentAtomics(setTimer: Callback, clearTimer: Callback): void {
  'use strict';
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const describe = Object.getOwnPropertyDescriptor;
  const getPrototypeOf = Object.getPrototypeOf;
  const NativePromise = Promise;
  const toNumber = Number;
  const truncate = Math.trunc;
  const atomics = Atomics as unknown as Record<string, Callback>;
  const nativeWaitAsync = atomics.waitAsync;
  const nativeNotify = atomics.notify;
  const typedArrayPrototype = getPrototypeOf(Int32Array.prototype) as object;
  const getter = (name: PropertyKey) => describe(typedArrayPrototype, name)!.get!;
  const bufferOf = getter('buffer');
  const byteOffsetOf = getter('byteOffset');
  const kindOf = getter(Symbol.toStringTag);
  // A FIFO list of its own: Array.prototype may be replaced by the submission.
  let first: AsyncWaiter | undefined;
  let last: AsyncWaiter | undefined;

  function cellOf(typedArray: unknown, index: unknown): { buffer: unknown; byteOffset: number } {
    const elementBytes = apply(kindOf, typedArray, []) === 'BigInt64Array' ? 8 : 4;
    const position = index === undefined ? 0 : truncate(toNumber(index));
    return {
      buffer: apply(bufferOf, typedArray, []),
      byteOffset: (apply(byteOffsetOf, typedArray, []) as number) + position * elementBytes,
    };
  }

  function remove(waiter: AsyncWaiter): void {
    let previous: AsyncWaiter | undefined;
    for (let current = first; current; previous = current, current = current.next) {
      if (current !== waiter) continue;
      if (previous) previous.next = current.next;
      else first = current.next;
      if (last === current) last = previous;
      return;
    }
  }

  function waitAsync(typedArray: unknown, index: unknown, value: unknown, timeout: unknown): unknown {
    // A zero timeout makes the built-in validate, compare and answer at once, without the delayed task.
    const immediate = apply(nativeWaitAsync, Atomics, [typedArray, index, value, 0]) as { value: unknown };
    if (immediate.value === 'not-equal') return immediate;
    const ms = timeout === undefined ? Infinity : toNumber(timeout);
    const timeoutMs = ms !== ms ? Infinity : ms < 0 ? 0 : ms;
    if (timeoutMs === 0) return immediate;
    const cell = cellOf(typedArray, index);
    let settle: ((result: string) => void) | undefined;
    const promise = new NativePromise<string>((resolve) => {
      settle = resolve;
    });
    const waiter: AsyncWaiter = { ...cell, settle: settle!, timer: undefined, next: undefined };
    if (timeoutMs !== Infinity)
      waiter.timer = apply(setTimer, undefined, [
        () => {
          remove(waiter);
          waiter.settle('timed-out');
        },
        timeoutMs,
      ]);
    if (last) last.next = waiter;
    else first = waiter;
    last = waiter;
    return { async: true, value: promise };
  }

  function notify(typedArray: unknown, index: unknown, count: unknown): number {
    // Validates (and wakes any blocked Atomics.wait, of which a single agent can have none).
    const wokenByBuiltIn = apply(nativeNotify, Atomics, [typedArray, index, count]) as number;
    const wanted = count === undefined ? Infinity : truncate(toNumber(count));
    let woken = 0;
    const cell = cellOf(typedArray, index);
    for (let current = first; current && woken + wokenByBuiltIn < wanted;) {
      const next = current.next;
      if (current.buffer === cell.buffer && current.byteOffset === cell.byteOffset) {
        remove(current);
        if (current.timer !== undefined) apply(clearTimer, undefined, [current.timer]);
        current.settle('ok');
        woken++;
      }
      current = next;
    }
    return wokenByBuiltIn + woken;
  }

  const hidden = (value: unknown) => ({ value, writable: true, enumerable: false, configurable: true });
  defineProperty(Atomics, 'waitAsync', hidden(waitAsync));
  defineProperty(Atomics, 'notify', hidden(notify));
}
