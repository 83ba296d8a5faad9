/**
 * Which cores each running job of a SandboxPool may use, and the cores reserved for jobs that
 * measure speed (exercise.json `limits.dedicatedCores`). Bookkeeping only: the pool pins.
 *
 * What it guarantees:
 *  - a dedicated job starts only once no running job may use any of its reserved cores, and no
 *    other job is given those cores until it has finished;
 *  - a reservation is made as soon as a dedicated job reaches the front of the dedicated jobs
 *    waiting: from then on new shared jobs keep off its cores (so a stream of shared jobs cannot
 *    starve it), while shared jobs queued behind it still start on the other cores;
 *  - dedicated jobs reserve first come, first served: a later one never takes cores an earlier
 *    one is still waiting for;
 *  - without pinning every job may run on every core, so a dedicated job reserves them all: it
 *    runs alone;
 *  - a shared job gets at least two cores (or every core of a one-core pool): pinned to one, the
 *    threads of a submission take turns instead of running at once, and a race a grader must see
 *    (a check-then-set lock, say) shows far less often. It waits rather than run on one.
 */
/** The fewest cores a shared job is pinned to (see above). */
export const MIN_SHARED_CORES = 2;

export interface CorePlacement<Job> {
  job: Job;
  /** The cores the job may use: its reservation, or every core not reserved. */
  cores: readonly number[];
  dedicated: boolean;
}

export class CoreReservations<Job extends object> {
  /** Reservations of dedicated jobs, waiting or running. */
  private readonly reserved = new Map<Job, readonly number[]>();
  /** Every running job and the cores it may run on. */
  private readonly running = new Map<Job, readonly number[]>();

  constructor(
    readonly hostCores: readonly number[],
    private pinning: boolean,
  ) {
    if (hostCores.length === 0) throw new Error('a pool needs at least one core');
  }

  get canPin(): boolean {
    return this.pinning;
  }

  /** What a job asking for `asked` dedicated cores gets (and is told): at most every core there is. */
  grant(asked: number): number {
    return Math.min(Math.max(0, asked), this.hostCores.length);
  }

  /**
   * The first job of `queue`, in order, that may start now, and the cores it may use; undefined
   * when none may. `dedicatedCores(job)` is the job's grant, 0 for a job that shares.
   */
  nextToStart(queue: readonly Job[], dedicatedCores: (job: Job) => number): CorePlacement<Job> | undefined {
    let earlierDedicatedWaits = false;
    for (const job of queue) {
      const asked = dedicatedCores(job);
      if (asked === 0) {
        const free = this.unreservedCores();
        if (free.length > 0) return { job, cores: free, dedicated: false };
        continue;
      }
      let cores = this.reserved.get(job);
      if (!cores && !earlierDedicatedWaits) cores = this.reserve(job, asked);
      if (!cores) {
        earlierDedicatedWaits = true;
        continue;
      }
      if (!this.anyRunningOn(cores)) return { job, cores, dedicated: true };
    }
    return undefined;
  }

  started(job: Job, cores: readonly number[]): void {
    this.running.set(job, cores);
  }

  /** The job ended (or left the queue): its cores are free again. */
  finished(job: Job): void {
    this.running.delete(job);
    this.reserved.delete(job);
  }

  /** Pinning stopped working: from now on a dedicated job reserves every core, and runs alone. */
  pinningFailed(): void {
    this.pinning = false;
  }

  private unreservedCores(): readonly number[] {
    if (this.reserved.size === 0) return this.hostCores;
    // An unpinned process runs wherever the kernel puts it: no core is safe from it.
    if (!this.pinning) return [];
    const taken = new Set([...this.reserved.values()].flat());
    const free = this.hostCores.filter((core) => !taken.has(core));
    return free.length >= Math.min(MIN_SHARED_CORES, this.hostCores.length) ? free : [];
  }

  private reserve(job: Job, asked: number): readonly number[] | undefined {
    const count = this.pinning ? this.grant(asked) : this.hostCores.length;
    const taken = new Set([...this.reserved.values()].flat());
    const free = this.hostCores.filter((core) => !taken.has(core));
    if (free.length < count) return undefined;
    // The cores fewest running jobs may use are the ones freed soonest.
    const load = (core: number) => [...this.running.values()].filter((cores) => cores.includes(core)).length;
    const cores = free
      .map((core) => ({ core, load: load(core) }))
      .sort((a, b) => a.load - b.load || a.core - b.core)
      .slice(0, count)
      .map(({ core }) => core)
      .sort((a, b) => a - b);
    this.reserved.set(job, cores);
    return cores;
  }

  private anyRunningOn(cores: readonly number[]): boolean {
    for (const used of this.running.values()) if (used.some((core) => cores.includes(core))) return true;
    return false;
  }
}
