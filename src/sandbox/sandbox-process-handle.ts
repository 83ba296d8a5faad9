import { fork, type ChildProcess } from 'node:child_process';
import type { FatalStatus, GradeReport } from '../grading/grade-report';
import type { SandboxProcessPlacement } from './os-limits/sandbox-os-limits';
import { parseMemoryCeilingReason } from './sandbox-memory-ceiling';
import type { ParentToSandbox, SandboxProcessConfig, SandboxToParent } from './sandbox-protocol';

export type JobOutcome =
  { kind: 'report'; report: GradeReport } | { kind: 'crashed'; status: FatalStatus; message: string };

type GradeJob = Omit<Extract<ParentToSandbox, { type: 'grade' }>, 'type' | 'jobId' | 'wallLimitMs'>;

const STDERR_TAIL_BYTES = 4096;

/** The parent's side of one sandbox process: starts it, runs one job at a time, and says how a dead process died. */
export class SandboxProcessHandle {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private readonly exited: Promise<void>;
  private stderrTail = '';
  private killedForWallLimit = false;
  /** When the running job is due (performance.now()); a SIGKILL after it is the process's own watchdog. */
  private jobDueAt = Infinity;
  private lastJobId = 0;
  private exitInfo:
    { code: number | null; signal: NodeJS.Signals | null; memoryLimitHit?: boolean; at: number } | undefined;
  jobsRun = 0;
  /** The cores the process was last pinned to; undefined: never pinned (every core of the pool). */
  cpus: string | undefined;

  constructor(
    script: string,
    config: SandboxProcessConfig,
    private readonly placement?: SandboxProcessPlacement,
  ) {
    // isolated-vm needs --no-node-snapshot (Node 20 and later). The placement wraps node in the commands
    // that put it in its cgroup and network namespace before it runs.
    const nodeArgs = ['--no-node-snapshot'];
    const withParent: SandboxProcessConfig = { ...config, parentPid: process.pid };
    this.child = fork(script, [JSON.stringify(withParent)], {
      ...(placement?.command(nodeArgs) ?? { execArgv: nodeArgs }),
      // The environment is empty on purpose: no DATABASE_URL, REDIS_URL or tokens can leak to a
      // process that runs untrusted code.
      env: { TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    this.exited = new Promise<void>((resolve) =>
      this.child.once('exit', (code, signal) => {
        // Read before the group is removed with the process.
        this.exitInfo = {
          code,
          signal,
          memoryLimitHit: this.placement?.memoryLimitHit(),
          at: performance.now(),
        };
        resolve();
      }),
    ).then(() => this.placement?.release());
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', () => {
        this.started = true;
        resolve();
      });
      this.exited.then(() =>
        reject(new Error(`sandbox process exited during start-up: ${this.stderrTail.trim() || 'no output'}`)),
      );
    });
    this.ready.catch(() => undefined);
  }

  /** Whether the process has answered `ready` (and can take jobs). */
  started = false;

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** Runs one job; kills the process with SIGKILL if it is not answered within `wallLimitMs`. */
  async run(job: GradeJob, wallLimitMs: number): Promise<JobOutcome> {
    try {
      await this.ready;
    } catch (error) {
      return { kind: 'crashed', status: 'internal_error', message: (error as Error).message };
    }
    const jobId = ++this.lastJobId;
    this.jobDueAt = performance.now() + wallLimitMs;
    return new Promise<JobOutcome>((resolve) => {
      const onMessage = (message: SandboxToParent) => {
        if (message.type !== 'report' || message.jobId !== jobId) return;
        cleanup();
        this.jobsRun++;
        resolve({ kind: 'report', report: message.report });
      };
      const timer = setTimeout(() => {
        this.killedForWallLimit = true;
        this.child.kill('SIGKILL');
      }, wallLimitMs);
      const cleanup = () => {
        this.jobDueAt = Infinity;
        clearTimeout(timer);
        this.child.off('message', onMessage);
      };
      this.child.on('message', onMessage);
      this.exited.then(() => {
        const death = this.describeDeath(wallLimitMs);
        cleanup();
        resolve({ kind: 'crashed', ...death });
      });
      this.child.send({ type: 'grade', jobId, wallLimitMs, ...job } satisfies ParentToSandbox);
    });
  }

  /** Restricts the process to these cores ("2", "0-1"); false where the host allows no pinning, or it failed. */
  pinTo(cpus: string): boolean {
    if (this.child.pid === undefined || !this.alive || !this.placement) return false;
    let pinned: boolean;
    try {
      pinned = this.placement.pin(this.child.pid, cpus);
    } catch {
      // A cpuset write the kernel refused (cores gone offline, a group already removed).
      pinned = false;
    }
    if (pinned) this.cpus = cpus;
    return pinned;
  }

  /** Ends the process and resolves once it is gone (and its cgroup with it). */
  async stop(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  private describeDeath(wallLimitMs: number): { status: FatalStatus; message: string } {
    const timeout = {
      status: 'timeout' as const,
      message: `grading did not finish within ${wallLimitMs} ms of real time; the sandbox process was stopped`,
    };
    if (this.killedForWallLimit) return timeout;
    if (this.exitInfo?.memoryLimitHit) {
      return {
        status: 'memory_limit',
        message: `the sandbox process used more than its ${this.placement?.memoryMb} MB of memory and was stopped`,
      };
    }
    // Its own watchdog kills it past the limit when our timer could not fire in time (a blocked loop).
    if (this.exitInfo?.signal === 'SIGKILL' && this.exitInfo.at >= this.jobDueAt) return timeout;
    // Its own watchdog kills it past its memory ceiling: a heap bomb isolated-vm did not stop in time.
    const ceiling = parseMemoryCeilingReason(this.stderrTail);
    if (this.exitInfo?.signal === 'SIGKILL' && ceiling) {
      return {
        status: 'memory_limit',
        message: `the sandbox process ran out of memory: it held ${ceiling.outsideMb} MB besides the grader's own heap, more than the ${ceiling.ceilingMb} MB its job's memory limits allow, and was stopped`,
      };
    }
    // V8's fatal heap report ("is_heap_oom = 1") when one allocation is larger than an isolate can ever
    // hold (new Array(1e8).fill(0)): isolated-vm cannot catch it and V8 aborts the whole process.
    if (/out.of.memory|allocation failed|memory limit|is_heap_oom = 1/i.test(this.stderrTail)) {
      return { status: 'memory_limit', message: 'the sandbox process ran out of memory' };
    }
    // SIGKILL from anyone but us is, in practice, the kernel's out-of-memory killer.
    if (this.exitInfo?.signal === 'SIGKILL')
      return { status: 'memory_limit', message: 'the sandbox process was killed (out of memory)' };
    const how = this.exitInfo?.signal ? `signal ${this.exitInfo.signal}` : `exit code ${this.exitInfo?.code}`;
    return { status: 'internal_error', message: `the sandbox process died (${how})` };
  }
}
