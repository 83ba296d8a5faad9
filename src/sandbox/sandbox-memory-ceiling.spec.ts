import type ivm from 'isolated-vm';
import { getHeapStatistics } from 'node:v8';
import { monotonicMs } from './monotonic-clock';
import {
  HOST_HEAP_FRESH_MS,
  HOST_ROOM_MB,
  ISOLATE_ROOM_FACTOR,
  MemoryCeilingCells,
  memoryCeilingReason,
  parseMemoryCeilingReason,
  pastCeiling,
  SandboxMemoryCeiling,
} from './sandbox-memory-ceiling';

/** The ceiling reads only `isDisposed` of an isolate (isolated-vm itself cannot load inside Jest). */
function fakeIsolate(): ivm.Isolate & { isDisposed: boolean } {
  return { isDisposed: false } as ivm.Isolate & { isDisposed: boolean };
}

const MB = 1024 * 1024;
const ceilingOf = (ceiling: SandboxMemoryCeiling) => ceiling.cells.values[0];
const hostHeapOf = (ceiling: SandboxMemoryCeiling) => ceiling.cells.values[1];
/** Memory outside this (Jest's) process's V8 heap, as the ceiling counts it. */
const outsideMb = () => {
  const heap = getHeapStatistics();
  return process.memoryUsage.rss() / MB - (heap.total_physical_size + heap.external_memory) / MB;
};

describe('SandboxMemoryCeiling', () => {
  const ceilings: SandboxMemoryCeiling[] = [];
  const newCeiling = () => {
    const ceiling = new SandboxMemoryCeiling();
    ceilings.push(ceiling);
    return ceiling;
  };
  afterEach(() => ceilings.splice(0).forEach((ceiling) => ceiling.jobEnded()));

  /** Starts a job; returns the memory the ceiling took as its start, checked against readings around it. */
  function startJob(ceiling: SandboxMemoryCeiling, liveRoomMb: number): number {
    const low = outsideMb();
    ceiling.jobStarted();
    const high = outsideMb();
    const start = ceilingOf(ceiling) - HOST_ROOM_MB - liveRoomMb;
    expect(start).toBeGreaterThanOrEqual(Math.floor(Math.min(low, high)) - 2);
    expect(start).toBeLessThanOrEqual(Math.ceil(Math.max(low, high)) + 2);
    return start;
  }

  it('is 0 between jobs, whatever isolates exist', () => {
    const ceiling = newCeiling();
    ceiling.isolateCreated(fakeIsolate(), 64);
    expect(ceilingOf(ceiling)).toBe(0);
    ceiling.jobStarted();
    ceiling.jobEnded();
    expect(ceilingOf(ceiling)).toBe(0);
  });

  it("is the memory outside the host's heap at the job's start, plus the host's room, room for each live isolate and a copy of the largest", () => {
    const ceiling = newCeiling();
    const start = startJob(ceiling, 0);
    ceiling.isolateCreated(fakeIsolate(), 64);
    ceiling.isolateCreated(fakeIsolate(), 16);
    expect(ceilingOf(ceiling)).toBe(start + HOST_ROOM_MB + ISOLATE_ROOM_FACTOR * (64 + 16) + 64);
  });

  it('keeps the room of the most isolates alive at once in the job (V8 keeps their pages), and forgets it at the next job', () => {
    const ceiling = newCeiling();
    const start = startJob(ceiling, 0);
    const threads = [fakeIsolate(), fakeIsolate(), fakeIsolate()];
    for (const thread of threads) ceiling.isolateCreated(thread, 64);
    for (const thread of threads) thread.isDisposed = true;
    ceiling.isolateCreated(fakeIsolate(), 64);
    expect(ceilingOf(ceiling)).toBe(start + HOST_ROOM_MB + ISOLATE_ROOM_FACTOR * 3 * 64 + 64);
    ceiling.jobEnded();
    // Only the one isolate still alive counts in the next job.
    startJob(ceiling, ISOLATE_ROOM_FACTOR * 64 + 64);
  });

  it('notes the host heap before a sync call and counts the call as under way until it returns or throws', () => {
    const ceiling = newCeiling();
    ceiling.jobStarted();
    Atomics.store(ceiling.cells.values, 1, 0);
    const seen = ceiling.duringSyncCall(() => [hostHeapOf(ceiling), ceiling.cells.values[2]]);
    expect(seen[0]).toBeGreaterThan(0);
    expect(seen[1]).toBe(1);
    expect(() =>
      ceiling.duringSyncCall(() => {
        throw new Error('the isolate died');
      }),
    ).toThrow('the isolate died');
    expect(ceiling.cells.values[2]).toBe(0);
  });
});

describe('pastCeiling (the watchdog thread decides)', () => {
  /** A ceiling of 300 MB with a host heap of 100 MB noted at `notedAt`, `syncCalls` calls under way. */
  function cells(notedAt: number, syncCalls = 0): MemoryCeilingCells {
    const shared = new MemoryCeilingCells();
    shared.values.set([300, 100, syncCalls]);
    shared.notedAt[0] = BigInt(notedAt);
    return shared;
  }
  const now = monotonicMs();

  it("leaves the host's heap out: 390 MB of RSS with 100 MB of it the host's is under 300", () => {
    expect(pastCeiling(cells(now), 390, now)).toBeUndefined();
  });

  it('is past it with a fresh note of the host heap, or while a sync call is under way however old the note', () => {
    expect(pastCeiling(cells(now), 450, now)).toEqual({ outsideMb: 350, ceilingMb: 300 });
    expect(pastCeiling(cells(now - 10_000, 1), 450, now)).toEqual({ outsideMb: 350, ceilingMb: 300 });
  });

  it('waits while the note is stale and no sync call is under way: the main thread is busy and its heap may have grown', () => {
    expect(pastCeiling(cells(now - HOST_HEAP_FRESH_MS - 1), 450, now)).toBeUndefined();
  });

  it('is never past a ceiling of 0 (no job)', () => {
    const idle = cells(now);
    idle.values[0] = 0;
    expect(pastCeiling(idle, 10_000, now)).toBeUndefined();
  });

  it('reads back the reason the watchdog leaves on stderr', () => {
    const stderr = `noise\nlockstep sandbox process 42: ${memoryCeilingReason(412, 300)}; killing it\n`;
    expect(parseMemoryCeilingReason(stderr)).toEqual({ outsideMb: 412, ceilingMb: 300 });
    expect(parseMemoryCeilingReason('<--- Last few GCs --->\nis_heap_oom = 1')).toBeUndefined();
  });
});
