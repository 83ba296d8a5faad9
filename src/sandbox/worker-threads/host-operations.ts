import type {
  HostOperations,
  SettledKind,
  ThrownValue,
  TimerKind,
} from '../isolate/worker-threads/worker-thread-contract';

/** One operation a thread's runtime sent, checked: `{ op, args }` with the arguments HostOperations names. */
export type HostOperation = {
  [K in keyof HostOperations]: { op: K; args: HostOperations[K] };
}[keyof HostOperations];

const TIMER_KINDS: readonly string[] = ['timeout', 'interval', 'immediate'] satisfies TimerKind[];
const SETTLED_KINDS: readonly string[] = ['resolved', 'rejected', 'uncopyable'] satisfies SettledKind[];

const isThreadId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

function isThrownValue(value: unknown): value is ThrownValue {
  if (typeof value !== 'object' || value === null) return false;
  const thrown = value as Partial<ThrownValue>;
  return (
    typeof thrown.isError === 'boolean' &&
    typeof thrown.text === 'string' &&
    (thrown.stack === undefined || typeof thrown.stack === 'string')
  );
}

/**
 * Checks what arrived through a thread's `toHost` callback. The runtime inside the isolate is ours,
 * but it runs beside untrusted code: anything malformed is dropped (undefined), never trusted.
 */
export function parseHostOperation(op: unknown, args: unknown[]): HostOperation | undefined {
  const [a, b, c, d, e] = args;
  switch (op) {
    case 'log':
      return typeof a === 'string' ? { op, args: [a] } : undefined;
    case 'timer-set':
      return isId(a) && TIMER_KINDS.includes(b as string) ? { op, args: [a, b as TimerKind, c] } : undefined;
    case 'timer-clear':
      return isId(a) ? { op, args: [a] } : undefined;
    case 'timer-ref':
      return isId(a) && isBoolean(b) ? { op, args: [a, b] } : undefined;
    case 'spawn':
      return isThreadId(a) ? { op, args: [a, b] } : undefined;
    case 'post-to-worker':
      return isThreadId(a) ? { op, args: [a, b] } : undefined;
    case 'post-to-parent':
      return { op, args: [a] };
    case 'terminate':
      return isThreadId(a) ? { op, args: [a] } : undefined;
    case 'worker-ref':
      return isThreadId(a) && isBoolean(b) ? { op, args: [a, b] } : undefined;
    case 'port-listening':
    case 'port-ref':
      return isBoolean(a) ? { op, args: [a] } : undefined;
    case 'port-close':
      return { op, args: [] };
    case 'wait-async':
      return isId(a) && isAsyncWait(b, c, d, e)
        ? { op, args: [a, b, c as number, d as number | bigint, e as number] }
        : undefined;
    case 'uncaught':
      return isThrownValue(a) && (b === null || isThreadId(b)) ? { op, args: [a, b] } : undefined;
    case 'settled':
      if (!SETTLED_KINDS.includes(a as string) || (a === 'rejected' && !isThrownValue(b))) return undefined;
      return { op, args: [a as SettledKind, b] };
    default:
      return undefined;
  }
}

function isAsyncWait(
  buffer: unknown,
  byteOffset: unknown,
  value: unknown,
  timeoutMs: unknown,
): buffer is SharedArrayBuffer {
  if (!(buffer instanceof SharedArrayBuffer) || !Number.isSafeInteger(byteOffset)) return false;
  const size = typeof value === 'bigint' ? 8 : typeof value === 'number' ? 4 : 0;
  const offset = byteOffset as number;
  if (size === 0 || offset < 0 || offset % size !== 0 || offset + size > buffer.byteLength) return false;
  return typeof timeoutMs === 'number' && timeoutMs > 0;
}
