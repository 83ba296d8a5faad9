import type { GraderContext, ThreadRunEvidence } from '../grader-api';
import { describeValue, formatCount } from '../lib/format';
import { queueProbeThread, type QueueProbeResult } from './in-thread/queue-probe-thread';

/** The most shared memory one queue may ask for: far more than any capacity the grader uses needs. */
export const MAX_QUEUE_BYTES = 16 * 1024 * 1024;
/** Real time one probe may take: one thread calling a static method a few times. */
export const PROBE_WALL_MS = 2000;

export type QueueProbe =
  { kind: 'ready'; queueBytes: (capacity: number) => number } | { kind: 'problem'; message: string };

/** Judges the probe thread's answer: the exports exist, and byteLength gives a usable size for every capacity. */
export function readProbe(capacities: readonly number[], evidence: ThreadRunEvidence): QueueProbe {
  const end = evidence.threads[0]?.end;
  if (end === undefined || end.kind === 'stopped')
    return {
      kind: 'problem',
      message: 'BoundedQueue.byteLength() did not return (the probe thread was stopped)',
    };
  if (end.kind === 'threw') {
    const line = end.location ? ` (line ${end.location.line})` : '';
    return { kind: 'problem', message: `the module failed in a thread: ${end.message}${line}` };
  }
  const result = end.value as QueueProbeResult;
  if (result.kind === 'missing')
    return { kind: 'problem', message: `the submission does not export ${result.missing.join(', ')}` };
  if (result.kind === 'threw')
    return {
      kind: 'problem',
      message: `BoundedQueue.byteLength(${result.capacity}) threw ${result.message}`,
    };

  const bytes = new Map<number, number>();
  for (const [i, capacity] of capacities.entries()) {
    const value = result.values[i];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_QUEUE_BYTES) {
      return {
        kind: 'problem',
        message:
          `BoundedQueue.byteLength(${capacity}) returned ${typeof value === 'number' ? describeValue(value) : value}; ` +
          `it must be a whole number of bytes from 1 to ${formatCount(MAX_QUEUE_BYTES)}`,
      };
    }
    bytes.set(capacity, value);
  }
  return {
    kind: 'ready',
    queueBytes: (capacity) => {
      const value = bytes.get(capacity);
      if (value === undefined) throw new Error(`the grader did not probe byteLength(${capacity})`);
      return value;
    },
  };
}

/** One thread asks the submission for byteLength of every capacity the runs use (the host cannot call it). */
export async function probeQueue(ctx: GraderContext, capacities: readonly number[]): Promise<QueueProbe> {
  const evidence = await ctx.runThreads({
    label: 'BoundedQueue.byteLength',
    threads: 1,
    code: queueProbeThread,
    shared: { capacities: [...capacities] },
    wallTimeMs: PROBE_WALL_MS,
  });
  return readProbe(capacities, evidence);
}

/** One answer from the visible capacities' probe and the hidden capacity's (both ready). */
export function bothProbes(
  visible: Extract<QueueProbe, { kind: 'ready' }>,
  hidden: Extract<QueueProbe, { kind: 'ready' }>,
  hiddenCapacity: number,
): Extract<QueueProbe, { kind: 'ready' }> {
  return {
    kind: 'ready',
    queueBytes: (capacity) =>
      capacity === hiddenCapacity ? hidden.queueBytes(capacity) : visible.queueBytes(capacity),
  };
}
