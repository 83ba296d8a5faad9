import path from 'node:path';
import { ConfigError, loadConfig } from './load-config';

const cwd = '/srv/lockstep';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to the embedded mode: PGlite under ./.lockstep/db, in-process queue, 127.0.0.1:3000', () => {
    const config = loadConfig({}, cwd);
    expect(config.database).toEqual({ kind: 'embedded', dir: '/srv/lockstep/.lockstep/db' });
    expect(config.queue).toEqual({ kind: 'in-process' });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.role).toBe('all');
    expect(config.courseSlug).toBe('concurrency');
    expect(config.limits).toEqual({ maxQueuedPerStudent: 5, maxQueueDepth: 10000 });
    expect(config.grading.leaseMs).toBe(15000);
    expect(config.grading.reconcileIntervalMs).toBe(5000);
    expect(config.grading.shutdownGraceMs).toBe(8000);
    expect(config.grading.workerConcurrency).toBeGreaterThanOrEqual(1);
    expect(config.grading).toMatchObject({
      sandboxOsLimits: 'auto',
      sandboxMemoryMb: 2048,
      sandboxPids: 512,
      sandboxJobsPerProcess: 200,
    });
    expect(path.basename(config.exercisesDir)).toBe('exercises');
    expect(config.logLevel).toBe('log');
  });

  it('uses Postgres and Redis when their URLs are set, and listens on 0.0.0.0', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgresql://u@db:5432/lockstep',
        REDIS_URL: 'redis://:pw@redis:6379',
        LOCKSTEP_ROLE: 'worker',
      },
      cwd,
    );
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://u@db:5432/lockstep' });
    expect(config.queue).toEqual({ kind: 'redis', url: 'redis://:pw@redis:6379', prefix: 'bull' });
    expect(config.http.host).toBe('0.0.0.0');
    expect(config.role).toBe('worker');
  });

  it('prefers LOCKSTEP_PORT over PORT and resolves directories against the working directory', () => {
    const config = loadConfig(
      { PORT: '8080', LOCKSTEP_PORT: '9090', LOCKSTEP_DATA_DIR: 'state', LOCKSTEP_EXERCISES_DIR: '/content' },
      cwd,
    );
    expect(config.http.port).toBe(9090);
    expect(config.dataDir).toBe('/srv/lockstep/state');
    expect(config.database).toEqual({ kind: 'embedded', dir: '/srv/lockstep/state/db' });
    expect(config.exercisesDir).toBe('/content');
    expect(loadConfig({ PORT: '8080' }, cwd).http.port).toBe(8080);
  });

  it('names the variable, what it expects and the value it got', () => {
    expect(problemsOf({ LOCKSTEP_PORT: 'abc' })).toEqual([
      "LOCKSTEP_PORT must be an integer from 1 to 65535, got 'abc'",
    ]);
    expect(problemsOf({ PORT: '70000' })).toEqual(["PORT must be an integer from 1 to 65535, got '70000'"]);
    expect(problemsOf({ LOCKSTEP_ROLE: 'both' })).toEqual([
      "LOCKSTEP_ROLE must be one of all, api, worker, got 'both'",
    ]);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })[0]).toMatch(
      /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(problemsOf({ LOCKSTEP_WORKER_CONCURRENCY: '1.5' })[0]).toMatch(
      /^LOCKSTEP_WORKER_CONCURRENCY must be an integer/,
    );
    expect(problemsOf({ LOG_LEVEL: 'loud' })[0]).toMatch(
      /^LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose/,
    );
  });

  it('reads the sandbox OS limits and refuses a memory limit too small for node to start', () => {
    const config = loadConfig(
      { LOCKSTEP_SANDBOX_OS_LIMITS: 'off', LOCKSTEP_SANDBOX_MEMORY_MB: '512', LOCKSTEP_SANDBOX_PIDS: '128' },
      cwd,
    );
    expect(config.grading).toMatchObject({ sandboxOsLimits: 'off', sandboxMemoryMb: 512, sandboxPids: 128 });
    expect(problemsOf({ LOCKSTEP_SANDBOX_MEMORY_MB: '64' })[0]).toMatch(
      /^LOCKSTEP_SANDBOX_MEMORY_MB must be an integer from 128/,
    );
    expect(problemsOf({ LOCKSTEP_SANDBOX_OS_LIMITS: 'on' })[0]).toMatch(/must be one of auto, off/);
  });

  it('reads how many submissions a sandbox process grades before it is replaced', () => {
    expect(loadConfig({ LOCKSTEP_SANDBOX_JOBS_PER_PROCESS: '1' }, cwd).grading.sandboxJobsPerProcess).toBe(1);
    expect(problemsOf({ LOCKSTEP_SANDBOX_JOBS_PER_PROCESS: '0' })).toEqual([
      "LOCKSTEP_SANDBOX_JOBS_PER_PROCESS must be an integer from 1 to 1000000, got '0'",
    ]);
  });

  it('reads the Redis key prefix and the shutdown grace, and refuses bad ones', () => {
    const config = loadConfig(
      { REDIS_URL: 'redis://r:6379', LOCKSTEP_QUEUE_PREFIX: 'term-2027', LOCKSTEP_SHUTDOWN_GRACE_MS: '0' },
      cwd,
    );
    expect(config.queue).toMatchObject({ prefix: 'term-2027' });
    expect(config.grading.shutdownGraceMs).toBe(0);
    expect(problemsOf({ REDIS_URL: 'redis://r:6379', LOCKSTEP_QUEUE_PREFIX: 'a b' })).toEqual([
      "LOCKSTEP_QUEUE_PREFIX must be 1 to 64 letters, digits, dots, dashes or underscores, got 'a b'",
    ]);
    expect(problemsOf({ LOCKSTEP_LEASE_MS: '500' })).toEqual([
      "LOCKSTEP_LEASE_MS must be an integer from 3000 to 86400000, got '500'",
    ]);
  });

  it('reports every bad variable at once', () => {
    expect(problemsOf({ LOCKSTEP_LEASE_MS: '-1', LOCKSTEP_MAX_QUEUE_DEPTH: 'lots' })).toHaveLength(2);
  });

  it('refuses a split role without Redis and Postgres, which only a single process can do without', () => {
    expect(problemsOf({ LOCKSTEP_ROLE: 'api' }).join('\n')).toMatch(/LOCKSTEP_ROLE 'api' needs REDIS_URL/);
  });

  it('returns a frozen object', () => {
    const config = loadConfig({}, cwd);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
  });
});

describe('loadConfig errors', () => {
  it('never echoes the password of a bad URL', () => {
    expect(problemsOf({ REDIS_URL: 'http://user:s3cret@host:1' })).toEqual([
      "REDIS_URL must be a redis:// or rediss:// URL, got 'http://user:***@host:1'",
    ]);
  });
});
