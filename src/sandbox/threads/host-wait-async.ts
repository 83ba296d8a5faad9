/**
 * `Atomics.waitAsync` on the host's event loop. Node 20 has it; the ES2023 lib does not declare it
 * yet. Returns at once when the cell no longer holds `value`; otherwise a promise that settles on a
 * notify or after `timeoutMs`.
 */
export const hostWaitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: boolean; value: unknown };
  }
).waitAsync;
