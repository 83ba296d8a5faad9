import type { ThreadLoop } from './thread-loop';

/** Node 20 has Atomics.waitAsync; the ES2023 lib does not declare it yet. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array | BigInt64Array,
      index: number,
      value: number | bigint,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/**
 * The threads' Atomics.waitAsync, done by the host with Node's own on the same shared memory
 * (inside isolated-vm, V8's version aborts the process when given a timeout). The result comes
 * back to the thread as a `wait-async` event. As in Node, a pending async wait does not keep a
 * worker alive.
 */
export class HostAsyncWaits {
  private readonly pending = new Set<Int32Array | BigInt64Array>();

  wait(
    loop: ThreadLoop,
    waitId: number,
    buffer: SharedArrayBuffer,
    byteOffset: number,
    value: number | bigint,
    timeoutMs: number,
  ): void {
    const cell =
      typeof value === 'bigint'
        ? new BigInt64Array(buffer, byteOffset, 1)
        : new Int32Array(buffer, byteOffset, 1);
    const waited = waitAsync(cell, 0, value, timeoutMs);
    if (!waited.async) return loop.push({ type: 'wait-async', waitId, result: waited.value });
    const timed = Number.isFinite(timeoutMs);
    loop.pendingWaits.all++;
    if (timed) loop.pendingWaits.timed++;
    this.pending.add(cell);
    void waited.value.then((result) => {
      this.pending.delete(cell);
      loop.pendingWaits.all--;
      if (timed) loop.pendingWaits.timed--;
      loop.push({ type: 'wait-async', waitId, result });
    });
  }

  /** At the run's end: wakes the host's own waiters so nothing stays registered on the run's memory. */
  releaseAll(): void {
    for (const cell of this.pending) Atomics.notify(cell as Int32Array, 0);
    this.pending.clear();
  }
}
