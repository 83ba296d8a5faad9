/**
 * RUNS INSIDE EACH THREAD'S ISOLATE (worker_threads runtime), before the submission loads.
 *
 * Stringified: it may use only its parameters and built-ins, captured first.
 * - `Atomics.wait` becomes a wrapper of the same shape that adds the time blocked to the thread's
 *   private evidence buffer: isolated-vm's cpuTime counts time asleep, the host subtracts this.
 *   (The same idea as src/sandbox/isolate/threads/thread-bootstrap.ts, duplicated because that
 *   bootstrap is the grader-started threads' and changes on its own.)
 * - `Atomics.waitAsync` that would really wait goes to the host, which waits on the same shared
 *   memory with Node's own waitAsync: in isolated-vm V8's waitAsync with a timeout never times out
 *   (7.0.2; in 5.0.4 it aborted the whole process), and a notified one settles only when the
 *   isolate is next entered (src/sandbox/platform/wait-async.spec.ts). Validation, 'not-equal' and a zero timeout stay with the built-in.
 *   Known gap: a change and notify between the check here and the host's wait gives 'not-equal'.
 */
import type { WORKER_EVIDENCE_SLOTS } from './worker-thread-contract';

type AsyncWaitRequest = (
  buffer: SharedArrayBuffer,
  byteOffset: number,
  value: number | bigint,
  timeoutMs: number,
) => Promise<string>;

export function installAtomicsWaits(
  evidenceBuffer: SharedArrayBuffer,
  slots: typeof WORKER_EVIDENCE_SLOTS,
  requestAsyncWait: AsyncWaitRequest,
): void {
  'use strict'; // strict functions hide `caller`, keeping the evidence buffer unreachable
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const describeProperty = Object.getOwnPropertyDescriptor;
  const nativeWait = Atomics.wait;
  const nativeWaitAsync = (Atomics as unknown as { waitAsync: (...args: unknown[]) => unknown }).waitAsync;
  const dateNow = Date.now;
  const NativeDate = Date;
  const toNumber = Number;
  const toBigInt = BigInt;
  const bigIntAsIntN = BigInt.asIntN;
  const truncate = Math.trunc;
  const typedArrayPrototype = getPrototypeOf(Int32Array.prototype) as object;
  const getter = (name: PropertyKey) => describeProperty(typedArrayPrototype, name)!.get!;
  const bufferOf = getter('buffer');
  const byteOffsetOf = getter('byteOffset');
  const kindOf = getter(Symbol.toStringTag);
  const evidence = new Float64Array(evidenceBuffer);
  const now = () => apply(dateNow, NativeDate, []) as number;

  function wait(typedArray: unknown, index: unknown, value: unknown, timeout: unknown): string {
    const since = now();
    evidence[slots.waitingSince] = since;
    try {
      return apply(nativeWait, Atomics, [typedArray, index, value, timeout]) as string;
    } finally {
      evidence[slots.blockedMs] += now() - since;
      evidence[slots.waits] += 1;
      evidence[slots.waitingSince] = 0;
    }
  }

  function waitAsync(typedArray: unknown, index: unknown, value: unknown, timeout: unknown): unknown {
    // A zero timeout makes the built-in validate, compare and answer at once, without the delayed task.
    const immediate = apply(nativeWaitAsync, Atomics, [typedArray, index, value, 0]) as { value: unknown };
    if (immediate.value === 'not-equal') return immediate;
    const ms = timeout === undefined ? Infinity : toNumber(timeout);
    const timeoutMs = ms !== ms ? Infinity : ms < 0 ? 0 : ms;
    if (timeoutMs === 0) return immediate;
    const isBig = apply(kindOf, typedArray, []) === 'BigInt64Array';
    const position = index === undefined ? 0 : truncate(toNumber(index));
    const byteOffset = (apply(byteOffsetOf, typedArray, []) as number) + position * (isBig ? 8 : 4);
    const expected = isBig ? bigIntAsIntN(64, toBigInt(value as bigint)) : toNumber(value) | 0;
    const buffer = apply(bufferOf, typedArray, []) as SharedArrayBuffer;
    return { async: true, value: requestAsyncWait(buffer, byteOffset, expected, timeoutMs) };
  }

  const hidden = (value: unknown) => ({ value, writable: true, enumerable: false, configurable: true });
  defineProperty(Atomics, 'wait', hidden(wait));
  defineProperty(Atomics, 'waitAsync', hidden(waitAsync));
}
