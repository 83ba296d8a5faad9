import type { ThreadRunEvidence } from '../grader-api';
import type { QueueProbeResult } from './in-thread/queue-probe-thread';
import { readProbe } from './queue-probe';

function evidence(value: QueueProbeResult | { threw: string }): ThreadRunEvidence {
  const end =
    'threw' in value
      ? { kind: 'threw' as const, message: value.threw, location: { line: 3, column: 1 } }
      : { kind: 'returned' as const, value };
  return {
    status: 'completed',
    wallMs: 1,
    threads: [{ index: 0, threadId: 1, end, cpuMs: 0, blockedMs: 0, waits: 0, waitingOn: null }],
    lostWakeups: [],
    console: [],
  };
}

describe('the byteLength probe', () => {
  it('gives each capacity its byte length', () => {
    const probe = readProbe([1, 4], evidence({ kind: 'byte-lengths', values: [28, 40] }));
    expect(probe.kind === 'ready' && [probe.queueBytes(1), probe.queueBytes(4)]).toEqual([28, 40]);
  });

  it('names missing exports, a throwing byteLength and unusable sizes', () => {
    expect(readProbe([4], evidence({ kind: 'missing', missing: ['the function consume'] }))).toEqual({
      kind: 'problem',
      message: 'the submission does not export the function consume',
    });
    expect(readProbe([4], evidence({ kind: 'threw', capacity: 4, message: 'Error: nope' }))).toEqual({
      kind: 'problem',
      message: 'BoundedQueue.byteLength(4) threw Error: nope',
    });
    expect(readProbe([4], evidence({ kind: 'byte-lengths', values: [2.5] }))).toEqual({
      kind: 'problem',
      message:
        'BoundedQueue.byteLength(4) returned 2.5; it must be a whole number of bytes from 1 to 16,777,216',
    });
    expect(readProbe([4], evidence({ kind: 'byte-lengths', values: ['undefined undefined'] })).kind).toBe(
      'problem',
    );
    expect(readProbe([4], evidence({ threw: 'SyntaxError: x' }))).toEqual({
      kind: 'problem',
      message: 'the module failed in a thread: SyntaxError: x (line 3)',
    });
  });
});
