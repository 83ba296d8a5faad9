import type { ServiceCallRecord } from '../grader-api';

/**
 * In-flight accounting over host-recorded calls. A call is in flight over the half-open interval
 * [startedAtMs, settledAtMs): from the host-recorded start until the host settles it, so a slot
 * freed at time t may be refilled at t. A call the run never settled stays in flight for good.
 */
export interface PeakInFlight {
  /** The largest number of calls in flight at once (0 for no calls). */
  count: number;
  /** The first virtual time that count was reached; null for no calls. */
  atMs: number | null;
  /** The calls in flight at that moment, in call order. */
  calls: ServiceCallRecord[];
}

function isInFlightAt(call: ServiceCallRecord, timeMs: number): boolean {
  return call.startedAtMs <= timeMs && (call.settledAtMs === null || timeMs < call.settledAtMs);
}

/** Calls in flight at one instant, in call order. */
export function callsInFlightAt(calls: readonly ServiceCallRecord[], timeMs: number): ServiceCallRecord[] {
  return calls.filter((call) => isInFlightAt(call, timeMs));
}

/**
 * The count only rises when a call starts, so checking each start time is enough. Settles at the
 * same instant as a start are already excluded by the half-open interval.
 */
export function peakInFlight(calls: readonly ServiceCallRecord[]): PeakInFlight {
  const startTimes = [...new Set(calls.map((call) => call.startedAtMs))].sort((a, b) => a - b);
  let peak: PeakInFlight = { count: 0, atMs: null, calls: [] };
  for (const timeMs of startTimes) {
    const inFlight = callsInFlightAt(calls, timeMs);
    if (inFlight.length > peak.count) peak = { count: inFlight.length, atMs: timeMs, calls: inFlight };
  }
  return peak;
}
