import type ivm from 'isolated-vm';
import {
  HOST_ROOM_MB,
  ISOLATE_ROOM_FACTOR,
  memoryCeilingReason,
  parseMemoryCeilingReason,
  SandboxMemoryCeiling,
} from './sandbox-memory-ceiling';

/** The ceiling reads only `isDisposed` of an isolate (isolated-vm itself cannot load inside Jest). */
function fakeIsolate(): ivm.Isolate & { isDisposed: boolean } {
  return { isDisposed: false } as ivm.Isolate & { isDisposed: boolean };
}

describe('SandboxMemoryCeiling', () => {
  const ceilingOf = (ceiling: SandboxMemoryCeiling) => new Int32Array(ceiling.buffer)[0];
  const rssMb = () => process.memoryUsage.rss() / (1024 * 1024);
  /** Starts a job; returns the RSS the ceiling took as its start (checked against readings around it). */
  function startJob(ceiling: SandboxMemoryCeiling, liveRoomMb: number): number {
    const low = Math.floor(rssMb());
    ceiling.jobStarted();
    const high = Math.ceil(rssMb());
    const start = ceilingOf(ceiling) - HOST_ROOM_MB - liveRoomMb;
    expect(start).toBeGreaterThanOrEqual(low);
    expect(start).toBeLessThanOrEqual(high);
    return start;
  }

  it('is 0 between jobs, whatever isolates exist', () => {
    const ceiling = new SandboxMemoryCeiling();
    ceiling.isolateCreated(fakeIsolate(), 64);
    expect(ceilingOf(ceiling)).toBe(0);
    ceiling.jobStarted();
    ceiling.jobEnded();
    expect(ceilingOf(ceiling)).toBe(0);
  });

  it("is the RSS at the job's start plus the host's room plus room for each live isolate", () => {
    const ceiling = new SandboxMemoryCeiling();
    const start = startJob(ceiling, 0);
    ceiling.isolateCreated(fakeIsolate(), 64);
    ceiling.isolateCreated(fakeIsolate(), 16);
    expect(ceilingOf(ceiling)).toBe(start + HOST_ROOM_MB + ISOLATE_ROOM_FACTOR * (64 + 16));
  });

  it('keeps the room of the most isolates alive at once in the job (V8 keeps their pages), and forgets it at the next job', () => {
    const ceiling = new SandboxMemoryCeiling();
    const start = startJob(ceiling, 0);
    const threads = [fakeIsolate(), fakeIsolate(), fakeIsolate()];
    for (const thread of threads) ceiling.isolateCreated(thread, 64);
    for (const thread of threads) thread.isDisposed = true;
    ceiling.isolateCreated(fakeIsolate(), 64);
    expect(ceilingOf(ceiling)).toBe(start + HOST_ROOM_MB + ISOLATE_ROOM_FACTOR * 3 * 64);
    ceiling.jobEnded();
    // Only the one isolate still alive counts in the next job.
    startJob(ceiling, ISOLATE_ROOM_FACTOR * 64);
  });

  it('reads back the reason the watchdog leaves on stderr', () => {
    const stderr = `noise\nlockstep sandbox process 42: ${memoryCeilingReason(412, 300)}; killing it\n`;
    expect(parseMemoryCeilingReason(stderr)).toEqual({ heldMb: 412, ceilingMb: 300 });
    expect(parseMemoryCeilingReason('<--- Last few GCs --->\nis_heap_oom = 1')).toBeUndefined();
  });
});
