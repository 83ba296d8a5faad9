import type ivm from 'isolated-vm';
import { getHeapStatistics } from 'node:v8';
import { monotonicMs } from './monotonic-clock';

/**
 * Room each live isolate gets under the ceiling, as a multiple of its heap limit. A submission that
 * stays within its limit holds at most about 1.3 times it (measured: 81 MB of RSS for a 64 MB
 * isolate filled until isolated-vm stopped it, 289 MB for a 256 MB one).
 */
export const ISOLATE_ROOM_FACTOR = 2;
/**
 * Room for what the job allocates outside any V8 heap besides that, on top of one copy of the
 * largest isolate's heap on its way to the host (isolated-vm serializes a value outside both heaps:
 * a 40 MB string returned by a 64 MB isolate took 181 MB outside the host's heap at its peak).
 */
export const HOST_ROOM_MB = 64;
/** How often the main thread says how large its own heap is while a job runs. */
export const HOST_HEAP_NOTE_MS = 50;
/** A note of the host's heap older than this is not trusted (the main thread is busy, its heap may have grown). */
export const HOST_HEAP_FRESH_MS = 250;

const MB = 1024 * 1024;
const rssMb = () => Math.ceil(process.memoryUsage.rss() / MB);
const hostHeapMb = () => {
  const heap = getHeapStatistics();
  return Math.floor((heap.total_physical_size + heap.external_memory) / MB);
};

/** What the main thread and the watchdog thread share: one SharedArrayBuffer, read and written atomically. */
export class MemoryCeilingCells {
  /** [ceiling in MB (0: no job), the host's heap in MB, sync calls into an isolate under way]. */
  readonly values: Int32Array;
  /** When the host's heap was noted (monotonic ms). */
  readonly notedAt: BigInt64Array;

  constructor(readonly buffer = new SharedArrayBuffer(24)) {
    this.values = new Int32Array(buffer, 0, 4);
    this.notedAt = new BigInt64Array(buffer, 16, 1);
  }
}
const CEILING = 0;
const HOST_HEAP = 1;
const SYNC_CALLS = 2;

/**
 * Whether a process holding `rssMb` is past its job's ceiling, as the watchdog thread decides it:
 * the memory outside the host's own V8 heap (the isolates, and copies on their way to the host)
 * against the ceiling. The host's heap is left out because a grader judging a huge value makes
 * garbage (measured: RSS +520 MB for a 40 MB string returned by fetchAll) that is no isolate's. Only a
 * fresh note of it is trusted: one taken before a sync call into an isolate that is still under way
 * (the main thread runs nothing else meanwhile), or one at most HOST_HEAP_FRESH_MS old.
 */
export function pastCeiling(
  cells: MemoryCeilingCells,
  rssMb: number,
  nowMs: number,
): { outsideMb: number; ceilingMb: number } | undefined {
  const ceilingMb = Atomics.load(cells.values, CEILING);
  if (ceilingMb === 0) return undefined;
  const outsideMb = rssMb - Atomics.load(cells.values, HOST_HEAP);
  if (outsideMb <= ceilingMb) return undefined;
  const inSyncCall = Atomics.load(cells.values, SYNC_CALLS) > 0;
  const fresh = nowMs - Number(Atomics.load(cells.notedAt, 0)) <= HOST_HEAP_FRESH_MS;
  return inSyncCall || fresh ? { outsideMb, ceilingMb } : undefined;
}

/**
 * The main thread's side of the most memory a sandbox process may hold while it runs a job, outside
 * its own V8 heap; the watchdog thread kills the process past it (sandbox-watchdog-thread.ts).
 * isolated-vm's own limit does not hold on isolated-vm 7 with Node 24/26: a built-in that allocates
 * without ever checking for termination (`new Array(1e8).fill(0)`) goes on after the limit is passed,
 * isolated-vm having raised V8's heap limit by 1 GB to keep V8 from aborting (docs/security.md, "Heap
 * bombs").
 *
 * The ceiling is what the process held outside the host's heap when the job began, plus HOST_ROOM_MB,
 * plus room for the isolates alive at once: ISOLATE_ROOM_FACTOR times the sum of their heap limits,
 * plus the largest limit (a copy in flight). It keeps the most room any moment of the job needed, not
 * the current one, because V8 keeps the pages of a disposed isolate (measured: four 64 MB isolates
 * holding 32 MB each, RSS 182 MB, still 182 MB 9 s after their dispose()) for the next isolates.
 */
export class SandboxMemoryCeiling {
  readonly cells = new MemoryCeilingCells();
  private readonly liveIsolates = new Map<ivm.Isolate, number>();
  /** Memory outside the host's heap when the running job began; undefined between jobs. */
  private jobStartMb: number | undefined;
  private mostIsolateRoomMb = 0;
  private noting: NodeJS.Timeout | undefined;

  jobStarted(): void {
    this.noteHostHeap();
    this.jobStartMb = rssMb() - Atomics.load(this.cells.values, HOST_HEAP);
    this.mostIsolateRoomMb = 0;
    this.publish();
    // Unref'd: it must never keep the process alive. It runs whenever the main thread is free.
    this.noting ??= setInterval(() => this.noteHostHeap(), HOST_HEAP_NOTE_MS).unref();
  }

  jobEnded(): void {
    clearInterval(this.noting);
    this.noting = undefined;
    this.jobStartMb = undefined;
    this.publish();
  }

  /** Called for every isolate that runs submission code (newSandboxIsolate). */
  isolateCreated(isolate: ivm.Isolate, memoryMb: number): void {
    this.liveIsolates.set(isolate, memoryMb);
    this.publish();
  }

  /** Around every synchronous call into an isolate: the main thread is blocked in it, its heap unchanged. */
  duringSyncCall<T>(call: () => T): T {
    this.noteHostHeap();
    Atomics.add(this.cells.values, SYNC_CALLS, 1);
    try {
      return call();
    } finally {
      Atomics.sub(this.cells.values, SYNC_CALLS, 1);
    }
  }

  private noteHostHeap(): void {
    Atomics.store(this.cells.values, HOST_HEAP, hostHeapMb());
    Atomics.store(this.cells.notedAt, 0, BigInt(monotonicMs()));
  }

  private publish(): void {
    let isolateRoomMb = 0;
    let largestMb = 0;
    for (const [isolate, memoryMb] of this.liveIsolates) {
      if (isolate.isDisposed) this.liveIsolates.delete(isolate);
      else {
        isolateRoomMb += ISOLATE_ROOM_FACTOR * memoryMb;
        largestMb = Math.max(largestMb, memoryMb);
      }
    }
    isolateRoomMb += largestMb;
    this.mostIsolateRoomMb = Math.max(this.mostIsolateRoomMb, isolateRoomMb);
    const ceiling =
      this.jobStartMb === undefined ? 0 : this.jobStartMb + HOST_ROOM_MB + this.mostIsolateRoomMb;
    Atomics.store(this.cells.values, CEILING, ceiling);
    Atomics.notify(this.cells.values, CEILING);
  }
}

/** This process's ceiling: every sandbox isolate counts toward it, the watchdog thread enforces it. */
export const sandboxMemoryCeiling = new SandboxMemoryCeiling();

/** The line a process killed at its ceiling leaves on stderr, and what the pool reads back from it. */
export function memoryCeilingReason(outsideMb: number, ceilingMb: number): string {
  return `its memory outside the grader's heap reached ${outsideMb} MB, past the ${ceilingMb} MB its job may hold (out of memory)`;
}

export function parseMemoryCeilingReason(
  stderr: string,
): { outsideMb: number; ceilingMb: number } | undefined {
  const match = /outside the grader's heap reached (\d+) MB, past the (\d+) MB its job may hold/.exec(stderr);
  return match ? { outsideMb: Number(match[1]), ceilingMb: Number(match[2]) } : undefined;
}
