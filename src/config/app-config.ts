import { availableParallelism } from 'node:os';

/** Which parts this process runs: both (the single-process default), only HTTP, or only grading. */
export type ProcessRole = 'all' | 'api' | 'worker';
export const PROCESS_ROLES: readonly ProcessRole[] = ['all', 'api', 'worker'];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export type SandboxOsLimitsMode = 'auto' | 'off';
export const SANDBOX_OS_LIMITS_MODES: readonly SandboxOsLimitsMode[] = ['auto', 'off'];

/** Postgres when DATABASE_URL is set, otherwise PGlite stored in `dir` (<LOCKSTEP_DATA_DIR>/db). */
export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'embedded'; dir: string };

/**
 * BullMQ on Redis when REDIS_URL is set, otherwise the in-process queue. `prefix` starts every key
 * (BullMQ's default `bull`), so several installations or test runs can share one Redis.
 */
export type QueueConfig = { kind: 'redis'; url: string; prefix: string } | { kind: 'in-process' };

/** The environment, validated once at start-up (see loadConfig). Frozen: nothing changes it later. */
export interface AppConfig {
  readonly role: ProcessRole;
  readonly http: { readonly host: string; readonly port: number };
  readonly database: DatabaseConfig;
  readonly queue: QueueConfig;
  /** Where the embedded database and other local state live. Absolute. */
  readonly dataDir: string;
  /** The exercise catalog (exercises/<slug>/). Absolute. */
  readonly exercisesDir: string;
  /** Slug of the course exercises are synced into and bootstrap users are enrolled in. */
  readonly courseSlug: string;
  readonly grading: {
    /** Jobs one worker process grades at once. */
    readonly workerConcurrency: number;
    /** Sandbox child processes in the pool. */
    readonly sandboxProcesses: number;
    /** 'auto': apply the cgroup, network and pinning limits the host allows (docs/security.md); 'off': none. */
    readonly sandboxOsLimits: SandboxOsLimitsMode;
    /** cgroup memory limit of one sandbox process (all its isolates and threads). */
    readonly sandboxMemoryMb: number;
    /** cgroup limit on the processes and threads of one sandbox process. */
    readonly sandboxPids: number;
    /** Submissions one sandbox process grades before it is replaced, so slow leaks cannot build up. */
    readonly sandboxJobsPerProcess: number;
    /**
     * How long a claimed submission belongs to one worker without a sign of life. The worker renews
     * the lease (its heartbeat) every third of it while grading, so a worker that dies frees its
     * submissions for another within one lease.
     */
    readonly leaseMs: number;
    readonly reconcileIntervalMs: number;
    /**
     * On SIGTERM, how long gradings in progress may take to finish; what is still running then is
     * interrupted and handed back to the queue, without counting as an attempt.
     */
    readonly shutdownGraceMs: number;
  };
  readonly limits: {
    /** Queued + running submissions one student may have; more is refused (429). */
    readonly maxQueuedPerStudent: number;
    /** Total queue depth above which new submissions are refused (503). */
    readonly maxQueueDepth: number;
  };
  readonly logLevel: LogLevel;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function defaultCores(): number {
  return Math.max(1, availableParallelism());
}
