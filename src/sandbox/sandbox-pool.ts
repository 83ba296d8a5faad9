import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultExercisesDir, ExerciseCatalog } from '../exercises/exercise-catalog';
import { requestedDedicatedCores, type ExerciseDefinition } from '../exercises/exercise-definition';
import { assembleReport } from '../grading/assemble-report';
import type { GradeReport, ReportStatus } from '../grading/grade-report';
import { DEFAULT_GRADERS_DIR, graderVersion } from '../grading/grader-modules';
import { defaultSeedFor } from '../grading/seeded-random';
import { CoreReservations, type CorePlacement } from './core-reservations';
import { allowedCpus, formatCpuList } from './cpu-list';
import { SandboxOsLimits, type OsLimitsOptions } from './os-limits/sandbox-os-limits';
import { SandboxProcessHandle, type JobOutcome } from './sandbox-process-handle';

export interface SandboxPoolOptions {
  /** Processes grading at once; default: the host's available parallelism. */
  size?: number;
  /** Default `<repo root>/exercises`. */
  exercisesDir?: string;
  /** Default: the graders compiled beside the sandbox process (dist/graders). */
  gradersDir?: string;
  /** A process is replaced after this many jobs, so slow leaks cannot build up; default 200. */
  maxJobsPerProcess?: number;
  /** Added to the exercise's time limit before the parent kills a process with SIGKILL; default 2000 ms. */
  killMarginMs?: number;
  /** The compiled sandbox-process.js; default: beside this file, or in dist/ when running from sources. */
  processScript?: string;
  /** Memory, pids and network limits of each process, applied where the host allows (see docs/security.md). */
  osLimits?: OsLimitsOptions;
  /** Receives the one line, at start, that says which OS limits apply and which are missing. */
  logOsLimits?: (line: string, complete: boolean) => void;
  /**
   * Receives the line that says how jobs with dedicated cores are kept apart: at start when an
   * exercise asks for them, and once more if pinning fails later. `pinned` is false when such a
   * job can only run alone.
   */
  logDedicatedCores?: (line: string, pinned: boolean) => void;
}

export interface GradeRequest {
  /** The exercise slug. */
  exercise: string;
  code: string;
  seed?: string;
}

export class UnknownExerciseError extends Error {
  constructor(readonly slug: string) {
    super(`unknown exercise '${slug}'`);
    this.name = 'UnknownExerciseError';
  }
}

/** The pool was closed (the worker is shutting down) before or while the job ran: no verdict on the submission. */
export class SandboxPoolClosedError extends Error {
  constructor(when: 'before' | 'while') {
    super(`the sandbox pool was closed ${when} the job ran`);
    this.name = 'SandboxPoolClosedError';
  }
}

interface QueuedJob {
  exercise: ExerciseDefinition;
  /** Cores granted to the job for itself (the exercise's `limits.dedicatedCores`, capped); 0: it shares. */
  dedicatedCores: number;
  enqueuedAt: number;
  code: string;
  seed?: string;
  attempts: number;
  resolve(report: GradeReport): void;
  reject(error: Error): void;
}

/** After a report with one of these, the process is replaced: what ran away may have left something behind. */
const REPLACE_AFTER: ReadonlySet<ReportStatus> = new Set(['timeout', 'memory_limit', 'internal_error']);

/**
 * Grades submissions in a pool of sandbox processes. A process that crashes or is killed is
 * replaced and its job retried once on a fresh process; a second crash becomes the verdict.
 * A process is also replaced after a timeout, memory-limit or internal-error report and after
 * `maxJobsPerProcess` jobs.
 *
 * Jobs whose exercise asks for dedicated cores get those cores to themselves (CoreReservations):
 * the process is pinned to them and every other job's process off them; where the host allows no
 * pinning, such a job runs alone. The reservation holds within this pool only: other pools or
 * worker processes on the same host are not kept off the cores (see README, "Dedicated cores").
 */
export class SandboxPool {
  private readonly catalog: ExerciseCatalog;
  private readonly size: number;
  private readonly gradersDir: string | undefined;
  private readonly maxJobsPerProcess: number;
  private readonly killMarginMs: number;
  private readonly processScript: string;
  private readonly osLimits: SandboxOsLimits;
  private readonly idle: SandboxProcessHandle[] = [];
  private readonly busy = new Set<SandboxProcessHandle>();
  private readonly queue: QueuedJob[] = [];
  private readonly cores: CoreReservations<QueuedJob>;
  private readonly logDedicatedCores: (line: string, pinned: boolean) => void;
  private closed = false;

  constructor(options: SandboxPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.catalog = ExerciseCatalog.load(options.exercisesDir ?? defaultExercisesDir());
    this.gradersDir = options.gradersDir;
    this.maxJobsPerProcess = options.maxJobsPerProcess ?? 200;
    this.killMarginMs = options.killMarginMs ?? 2000;
    this.processScript = options.processScript ?? defaultProcessScript();
    this.osLimits = new SandboxOsLimits(options.osLimits);
    (options.logOsLimits ?? logOsLimits)(this.osLimits.summary(), this.osLimits.missing.length === 0);
    this.cores = new CoreReservations(allowedCpus(), this.osLimits.canPin);
    this.logDedicatedCores = options.logDedicatedCores ?? logDedicatedCores;
    const timed = this.catalog.list().filter((exercise) => requestedDedicatedCores(exercise.limits) > 0);
    if (timed.length > 0) this.describeDedicatedCores(timed.map((exercise) => exercise.slug));
  }

  exercises(): ExerciseDefinition[] {
    return this.catalog.list();
  }

  grade(request: GradeRequest): Promise<GradeReport> {
    if (this.closed) return Promise.reject(new SandboxPoolClosedError('before'));
    const exercise = this.catalog.get(request.exercise);
    if (!exercise) return Promise.reject(new UnknownExerciseError(request.exercise));
    return new Promise((resolve, reject) => {
      this.queue.push({
        exercise,
        dedicatedCores: this.cores.grant(requestedDedicatedCores(exercise.limits)),
        enqueuedAt: performance.now(),
        code: request.code,
        seed: request.seed,
        attempts: 0,
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** Process ids of the live sandbox processes, or of those that have started (for diagnostics and tests). */
  processIds(which: 'all' | 'started' = 'all'): number[] {
    return [...this.idle, ...this.busy]
      .filter((handle) => which === 'all' || handle.started)
      .flatMap((handle) => (handle.pid === undefined ? [] : [handle.pid]));
  }

  /** Rejects queued jobs and stops every process; resolves once none is left. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new SandboxPoolClosedError('before'));
    const handles = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(handles.map((handle) => handle.stop()));
    await this.osLimits.close();
  }

  private dispatch(): void {
    while (!this.closed && this.busy.size < this.size) {
      const next = this.cores.nextToStart(this.queue, (job) => job.dedicatedCores);
      if (!next) return;
      this.queue.splice(this.queue.indexOf(next.job), 1);
      const handle = this.idleProcessFor(next.cores) ?? this.startProcess();
      this.busy.add(handle);
      this.cores.started(next.job, this.pinFor(handle, next));
      void this.runOn(handle, next.job);
    }
  }

  /** An idle process, preferably one already pinned to these cores (pinning costs a cgroup write or a taskset). */
  private idleProcessFor(cores: readonly number[]): SandboxProcessHandle | undefined {
    const cpus = formatCpuList(cores);
    const index = this.idle.findIndex((handle) => this.cpusOf(handle) === cpus);
    return index >= 0 ? this.idle.splice(index, 1)[0] : this.idle.pop();
  }

  /** Pins the job's process to its cores; returns the cores it may really run on. */
  private pinFor(handle: SandboxProcessHandle, placement: CorePlacement<QueuedJob>): readonly number[] {
    if (!this.cores.canPin) return this.cores.hostCores;
    const cpus = formatCpuList(placement.cores);
    if (this.cpusOf(handle) === cpus || handle.pinTo(cpus)) return placement.cores;
    // Kept apart from now on by running dedicated jobs alone, which needs no pinning.
    this.cores.pinningFailed();
    this.logDedicatedCores(
      `pinning sandbox process ${handle.pid} to cores ${cpus} failed: from now on a job with dedicated cores runs alone in this pool`,
      false,
    );
    return this.cores.hostCores;
  }

  /** The cores a process may run on now; one never pinned has every core of the pool. */
  private cpusOf(handle: SandboxProcessHandle): string {
    return handle.cpus ?? formatCpuList(this.cores.hostCores);
  }

  private describeDedicatedCores(slugs: string[]): void {
    const host = `${this.cores.hostCores.length} cores (${formatCpuList(this.cores.hostCores)})`;
    const which = `exercises with dedicated cores (${slugs.join(', ')})`;
    if (this.cores.canPin)
      this.logDedicatedCores(
        `${which}: each such job is pinned to cores of its own out of this pool's ${host}, every other job off them`,
        true,
      );
    else
      this.logDedicatedCores(
        `${which}: no CPU pinning on this host, so each such job runs alone in this pool (${host})`,
        false,
      );
  }

  private startProcess(): SandboxProcessHandle {
    return new SandboxProcessHandle(
      this.processScript,
      { gradersDir: this.gradersDir },
      this.osLimits.placeProcess(),
    );
  }

  private async runOn(handle: SandboxProcessHandle, job: QueuedJob): Promise<void> {
    const wallLimitMs = job.exercise.limits.timeoutMs + this.killMarginMs;
    const outcome = await handle.run(
      { exercise: job.exercise, code: job.code, seed: job.seed, dedicatedCores: job.dedicatedCores },
      wallLimitMs,
    );
    this.cores.finished(job);
    if (this.closed) {
      job.reject(new SandboxPoolClosedError('while'));
      return;
    }
    this.busy.delete(handle);
    if (outcome.kind === 'report') {
      if (handle.jobsRun >= this.maxJobsPerProcess || REPLACE_AFTER.has(outcome.report.status))
        void handle.stop();
      else this.idle.push(handle);
      job.resolve(outcome.report);
    } else {
      void handle.stop();
      if (job.attempts === 0) {
        // One retry on a fresh process: the crash may have been the host's, not the submission's.
        this.queue.unshift({ ...job, attempts: 1 });
      } else {
        job.resolve(this.crashReport(job, outcome));
      }
    }
    this.dispatch();
  }

  private crashReport(job: QueuedJob, outcome: Extract<JobOutcome, { kind: 'crashed' }>): GradeReport {
    return assembleReport({
      exercise: job.exercise,
      fatal: { status: outcome.status, message: outcome.message },
      seed: job.seed ?? defaultSeedFor(job.code),
      durationMs: performance.now() - job.enqueuedAt,
      graderVersion: graderVersion(this.gradersDir ?? DEFAULT_GRADERS_DIR),
    });
  }
}

function logDedicatedCores(line: string, pinned: boolean): void {
  const logger = new Logger('SandboxPool');
  if (pinned) logger.log(line);
  else logger.warn(line);
}

function logOsLimits(line: string, complete: boolean): void {
  const logger = new Logger('SandboxPool');
  if (complete) logger.log(line);
  else logger.warn(line);
}

/** From dist/ the script sits beside this file; from the TypeScript sources (tests), use the build in dist/. */
function defaultProcessScript(): string {
  const beside = join(__dirname, 'sandbox-process.js');
  if (existsSync(beside)) return beside;
  return resolve(__dirname, '../../dist/src/sandbox/sandbox-process.js');
}
