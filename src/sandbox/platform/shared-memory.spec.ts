/**
 * Isolates as threads (probe-shared-memory.ts): the SharedArrayBuffers the thread runtimes hand to
 * isolates stay shared, isolates entered with the async calls run at the same time, and Atomics
 * work across them. docs/threads.md ("What the platform does") has the figures.
 */
import { runProbe } from './__fixtures__/probe-in-child';

interface SharedMemoryProbe {
  copyInto: { otherIsolate: number; host: number };
  nested: { otherIsolate: number; host: number };
  returnedCopy: { isSharedArrayBuffer: boolean; makerSees: string };
  spinMs: number;
  sequentialMs: number;
  parallelMs: number;
  atomicAdds: { total: number; expected: number };
  crossIsolateWait: { waitResult: string; notified: number; wokenAfterMs: number };
}

describe('isolated-vm isolates as threads', () => {
  let probe: SharedMemoryProbe;

  beforeAll(() => {
    probe = runProbe<SharedMemoryProbe>('probe-shared-memory');
  });

  it('shares a SharedArrayBuffer given to two isolates with ExternalCopy.copyInto, with the host too', () => {
    expect(probe.copyInto).toEqual({ otherIsolate: 42, host: 42 });
  });

  it('keeps SharedArrayBuffers nested in a copied object shared', () => {
    expect(probe.nested).toEqual({ otherIsolate: 7, host: 7 });
  });

  it('keeps a buffer an isolate made shared when it is returned with { copy: true } and handed to another isolate', () => {
    // The host wrote cell 1 and the other isolate cell 0: the maker sees both.
    expect(probe.returnedCopy).toEqual({ isSharedArrayBuffer: true, makerSees: '5,6' });
  });

  it('runs two isolates at the same time when they are entered with the async calls', () => {
    // Two 200 ms spins: about 400 ms one after the other, about 200 ms together.
    expect(probe.sequentialMs).toBeGreaterThanOrEqual(2 * probe.spinMs - 5);
    expect(probe.parallelMs).toBeLessThan(1.5 * probe.spinMs);
  });

  it('keeps every Atomics.add of two parallel isolates on one cell', () => {
    expect(probe.atomicAdds.total).toBe(probe.atomicAdds.expected);
  });

  it('wakes an Atomics.wait in one isolate with an Atomics.notify from another', () => {
    expect(probe.crossIsolateWait.waitResult).toBe('ok');
    expect(probe.crossIsolateWait.notified).toBe(1);
    expect(probe.crossIsolateWait.wokenAfterMs).toBeLessThan(probe.spinMs + 4000);
  });
});
