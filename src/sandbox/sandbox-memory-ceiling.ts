import type ivm from 'isolated-vm';

/**
 * Room each live isolate gets under the ceiling, as a multiple of its heap limit. A submission that
 * stays within its limit holds at most about 1.3 times it (measured: 81 MB of RSS for a 64 MB
 * isolate filled until isolated-vm stopped it, 289 MB for a 256 MB one).
 */
export const ISOLATE_ROOM_FACTOR = 2;
/** Room for what the job itself does on the host (the grader, copies of results, Node's own heap). */
export const HOST_ROOM_MB = 64;

const MB = 1024 * 1024;
const rssMb = () => Math.ceil(process.memoryUsage.rss() / MB);

/**
 * The most memory (RSS) a sandbox process may hold while it runs a job; its watchdog thread kills
 * the process past it (sandbox-watchdog-thread.ts). isolated-vm's own limit does not hold on
 * isolated-vm 7 with Node 24/26: a built-in that allocates without ever checking for termination
 * (`new Array(1e8).fill(0)`) goes on after the limit is passed, isolated-vm having raised V8's heap
 * limit by 1 GB to keep V8 from aborting (docs/security.md, "Heap bombs").
 *
 * The ceiling is the process's RSS when the job began, plus HOST_ROOM_MB, plus ISOLATE_ROOM_FACTOR
 * times the heap limits of the most isolates alive at once so far in the job: the highest count, not
 * the current one, because V8 keeps the pages of a disposed isolate (measured: four 64 MB isolates
 * holding 32 MB each, RSS 182 MB, still 182 MB 9 s after their dispose()) for the next isolates.
 */
export class SandboxMemoryCeiling {
  /** One Int32 slot for the watchdog thread: the ceiling in MB; 0 while no job runs. */
  readonly buffer = new SharedArrayBuffer(4);
  private readonly ceilingMb = new Int32Array(this.buffer);
  private readonly liveIsolates = new Map<ivm.Isolate, number>();
  /** RSS when the running job began; undefined between jobs. */
  private jobStartMb: number | undefined;
  private mostIsolateRoomMb = 0;

  jobStarted(): void {
    this.jobStartMb = rssMb();
    this.mostIsolateRoomMb = 0;
    this.publish();
  }

  jobEnded(): void {
    this.jobStartMb = undefined;
    this.publish();
  }

  /** Called for every isolate that runs submission code (newSandboxIsolate). */
  isolateCreated(isolate: ivm.Isolate, memoryMb: number): void {
    this.liveIsolates.set(isolate, memoryMb);
    this.publish();
  }

  private publish(): void {
    let isolateRoomMb = 0;
    for (const [isolate, memoryMb] of this.liveIsolates) {
      if (isolate.isDisposed) this.liveIsolates.delete(isolate);
      else isolateRoomMb += ISOLATE_ROOM_FACTOR * memoryMb;
    }
    this.mostIsolateRoomMb = Math.max(this.mostIsolateRoomMb, isolateRoomMb);
    const ceiling =
      this.jobStartMb === undefined ? 0 : this.jobStartMb + HOST_ROOM_MB + this.mostIsolateRoomMb;
    Atomics.store(this.ceilingMb, 0, ceiling);
    Atomics.notify(this.ceilingMb, 0);
  }
}

/** This process's ceiling: every sandbox isolate counts toward it, the watchdog thread enforces it. */
export const sandboxMemoryCeiling = new SandboxMemoryCeiling();

/** The line a process killed at its ceiling leaves on stderr, and what the pool reads back from it. */
export function memoryCeilingReason(heldMb: number, ceilingMb: number): string {
  return `its memory reached ${heldMb} MB, past the ${ceilingMb} MB its job may hold (out of memory)`;
}

export function parseMemoryCeilingReason(stderr: string): { heldMb: number; ceilingMb: number } | undefined {
  const match = /its memory reached (\d+) MB, past the (\d+) MB its job may hold/.exec(stderr);
  return match ? { heldMb: Number(match[1]), ceilingMb: Number(match[2]) } : undefined;
}
