/** CLOCK_MONOTONIC in ms: the same clock in every thread, unmoved by changes of the wall clock. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}
