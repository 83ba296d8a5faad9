/**
 * RUNS INSIDE ONE THREAD'S ISOLATE before any queue run: the host cannot call the submission, and
 * it must know BoundedQueue.byteLength(capacity) to allocate each run's queue memory. Self-contained
 * (sent as source text); it checks the exports' shapes and returns plain data, never throws.
 */
import type { ThreadCode } from '../../grader-api';

export type QueueProbeResult =
  | { kind: 'missing'; missing: string[] }
  | { kind: 'threw'; capacity: number; message: string }
  | { kind: 'byte-lengths'; values: (number | string)[] };

export const queueProbeThread: ThreadCode = () => {
  const NativeError = Error;
  const toText = String;
  const apply = Reflect.apply;

  return (exports: Record<string, unknown>, sharedArg: never): QueueProbeResult => {
    const capacities = (sharedArg as { capacities: number[] }).capacities;
    const missing: string[] = [];
    const queueClass: unknown = exports.BoundedQueue;
    if (typeof queueClass !== 'function') missing[missing.length] = 'the class BoundedQueue';
    else if (typeof (queueClass as { byteLength?: unknown }).byteLength !== 'function')
      missing[missing.length] = 'static BoundedQueue.byteLength()';
    if (typeof exports.produce !== 'function') missing[missing.length] = 'the function produce';
    if (typeof exports.consume !== 'function') missing[missing.length] = 'the function consume';
    if (missing.length > 0) return { kind: 'missing', missing };

    const byteLength = (queueClass as { byteLength: (capacity: number) => unknown }).byteLength;
    const values: (number | string)[] = [];
    for (let i = 0; i < capacities.length; i++) {
      let value: unknown;
      try {
        value = apply(byteLength, queueClass, [capacities[i]]);
      } catch (error) {
        let message = 'an unprintable value';
        try {
          message =
            error instanceof NativeError ? toText(error.name) + ': ' + toText(error.message) : toText(error);
        } catch {
          // keep the placeholder
        }
        return { kind: 'threw', capacity: capacities[i], message };
      }
      values[i] = typeof value === 'number' ? value : typeof value + ' ' + toText(value);
    }
    return { kind: 'byte-lengths', values };
  };
};
