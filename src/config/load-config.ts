import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  AppConfig,
  defaultCores,
  LOG_LEVELS,
  LogLevel,
  PROCESS_ROLES,
  ProcessRole,
  SANDBOX_OS_LIMITS_MODES,
  SandboxOsLimitsMode,
} from './app-config';

/** Raised when the environment is invalid; the message names each bad variable and what it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Validates the environment into a frozen AppConfig. Pure apart from reading the working directory
 * and the core count for defaults, so tests pass their own `env`. Every problem is reported at once.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): AppConfig {
  const problems: string[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const result = schema.safeParse(raw.trim());
    if (result.success) return result.data;
    problems.push(`${name} ${result.error.issues[0]?.message ?? 'is invalid'}, got '${redactPassword(raw)}'`);
    return fallback;
  };
  const cores = defaultCores();

  const databaseUrl = read(
    'DATABASE_URL',
    urlWithScheme(['postgres', 'postgresql'], 'a postgres:// or postgresql:// URL'),
    undefined,
  );
  const redisUrl = read(
    'REDIS_URL',
    urlWithScheme(['redis', 'rediss'], 'a redis:// or rediss:// URL'),
    undefined,
  );
  const dataDir = path.resolve(cwd, read('LOCKSTEP_DATA_DIR', z.string(), '.lockstep'));
  const port = read('LOCKSTEP_PORT', integer(1, 65535), read('PORT', integer(1, 65535), 3000));
  const host = read('LOCKSTEP_HOST', hostName(), databaseUrl ? '0.0.0.0' : '127.0.0.1');
  const role = read<ProcessRole>('LOCKSTEP_ROLE', oneOf(PROCESS_ROLES), 'all');
  const exercisesDir = path.resolve(
    cwd,
    read('LOCKSTEP_EXERCISES_DIR', z.string(), path.join(repoRoot(), 'exercises')),
  );
  const config: AppConfig = {
    role,
    http: { host, port },
    database: databaseUrl
      ? { kind: 'postgres', url: databaseUrl }
      : { kind: 'embedded', dir: path.join(dataDir, 'db') },
    queue: redisUrl
      ? { kind: 'redis', url: redisUrl, prefix: read('LOCKSTEP_QUEUE_PREFIX', queuePrefix(), 'bull') }
      : { kind: 'in-process' },
    dataDir,
    exercisesDir,
    courseSlug: read('LOCKSTEP_COURSE', slug(), 'concurrency'),
    grading: {
      workerConcurrency: read('LOCKSTEP_WORKER_CONCURRENCY', integer(1, 256), cores),
      sandboxProcesses: read('LOCKSTEP_SANDBOX_PROCESSES', integer(1, 256), cores),
      sandboxOsLimits: read<SandboxOsLimitsMode>(
        'LOCKSTEP_SANDBOX_OS_LIMITS',
        oneOf(SANDBOX_OS_LIMITS_MODES),
        'auto',
      ),
      // Room for the threads runtime's isolates (up to 16 of at most 512 MB heap each rarely all full).
      sandboxMemoryMb: read('LOCKSTEP_SANDBOX_MEMORY_MB', integer(128, 1_048_576), 2048),
      sandboxPids: read('LOCKSTEP_SANDBOX_PIDS', integer(64, 1_000_000), 512),
      sandboxJobsPerProcess: read('LOCKSTEP_SANDBOX_JOBS_PER_PROCESS', integer(1, 1_000_000), 200),
      // Renewed every 5 s while grading: a SIGKILLed worker's submission is free again within 15 s.
      leaseMs: read('LOCKSTEP_LEASE_MS', integer(3000, 86_400_000), 15_000),
      reconcileIntervalMs: read('LOCKSTEP_RECONCILE_INTERVAL_MS', integer(100, 86_400_000), 5_000),
      // Inside the 10 s that Docker and systemd wait after SIGTERM before they SIGKILL.
      shutdownGraceMs: read('LOCKSTEP_SHUTDOWN_GRACE_MS', integer(0, 3_600_000), 8_000),
    },
    limits: {
      maxQueuedPerStudent: read('LOCKSTEP_MAX_QUEUED_PER_STUDENT', integer(1, 10_000), 5),
      maxQueueDepth: read('LOCKSTEP_MAX_QUEUE_DEPTH', integer(1, 10_000_000), 10_000),
    },
    logLevel: read<LogLevel>('LOG_LEVEL', logLevel(), 'log'),
  };
  // A queue in one process cannot feed workers in another, nor can two processes share PGlite files.
  if (role !== 'all' && !redisUrl)
    problems.push(
      `LOCKSTEP_ROLE '${role}' needs REDIS_URL: the in-process queue only works with LOCKSTEP_ROLE=all`,
    );
  if (role !== 'all' && !databaseUrl)
    problems.push(
      `LOCKSTEP_ROLE '${role}' needs DATABASE_URL: the embedded database serves one process only`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function integer(min: number, max: number): z.ZodType<number> {
  const message = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .regex(/^[+]?\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));
}

function oneOf<T extends string>(values: readonly T[]): z.ZodType<T> {
  return z.enum(values as [T, ...T[]], { error: `must be one of ${values.join(', ')}` });
}

function logLevel(): z.ZodType<LogLevel> {
  // `info` is what most tools call Nest's `log` level.
  return z
    .string()
    .transform((value) => value.toLowerCase())
    .transform((value) => (value === 'info' ? 'log' : value))
    .refine(
      (value): value is LogLevel => (LOG_LEVELS as readonly string[]).includes(value),
      `must be one of ${LOG_LEVELS.join(', ')}`,
    ) as z.ZodType<LogLevel>;
}

function slug(): z.ZodType<string> {
  return z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a slug of lower-case letters, digits and dashes');
}

function queuePrefix(): z.ZodType<string> {
  return z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores');
}

function hostName(): z.ZodType<string> {
  return z.string().regex(/^[A-Za-z0-9.:\-[\]]+$/, 'must be a host name or an IP address');
}

function urlWithScheme(schemes: string[], expected: string): z.ZodType<string | undefined> {
  return z.string().refine((value) => {
    try {
      return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  }, `must be ${expected}`);
}

/** A URL's password must not reach logs, even in an error about the URL. */
function redactPassword(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

/** The folder holding package.json, from src/config or dist/src/config alike. */
function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child && typeof child === 'object') deepFreeze(child);
  return Object.freeze(value);
}
