import type { AsyncRunEvidence } from '../grader-api';

/** Virtual-time measurements of one scenario; every scenario starts at 0 ms. */

/** How long the export took to settle, or null if it never did. */
export function runDurationMs(evidence: AsyncRunEvidence): number | null {
  return evidence.settledAtMs;
}

/** What running the fetches one after another would cost. */
export function sequentialSumMs(latenciesMs: readonly number[]): number {
  return latenciesMs.reduce((sum, ms) => sum + ms, 0);
}

/** What full concurrency costs: the slowest fetch (0 for none). */
export function slowestMs(latenciesMs: readonly number[]): number {
  return Math.max(0, ...latenciesMs);
}

/** A sentence for a run whose promise did not settle: why, in the student's terms. */
export function describeUnsettled(evidence: AsyncRunEvidence, exportName: string): string | null {
  if (evidence.result.kind !== 'pending') return null;
  return evidence.result.reason === 'no-events-left'
    ? `${exportName} never settled: its promise was still pending with nothing left to wait for (no fetch in flight, no timer)`
    : `${exportName} never settled: its promise was still pending when the virtual time limit passed`;
}
