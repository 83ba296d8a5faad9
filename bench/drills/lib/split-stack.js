/**
 * The production shape on services of the drill's own: a throwaway Postgres cluster, a redis-server,
 * the API process and grading worker processes, and students enrolled in the course. The audit
 * trigger is installed once the users command has migrated the database.
 */
const { PostgresDatabase } = require('./database');
const { createStudents, lockstepEnv, requireBuild, startApi, startWorker } = require('./lockstep');
const { startOwnPostgres } = require('./own-postgres');
const { startOwnRedis } = require('./own-redis');
const { freePort } = require('./ports');

class SplitStack {
  constructor(drill, { postgres, redis, env, database, students }) {
    Object.assign(this, { drill, postgres, redis, env, database, students });
    this.api = null;
    this.workers = [];
    this.started = 0;
  }

  /** The API's base URL; the same port across restarts, as behind a load balancer. */
  get base() {
    return `http://127.0.0.1:${this.env.LOCKSTEP_PORT}/api`;
  }

  async startApi() {
    this.api = await startApi(this.drill, this.env, { name: `api-${++this.started}` });
    return this.api;
  }

  async startWorker(name = `worker-${this.workers.length + 1}`) {
    const worker = await startWorker(this.drill, this.env, { name });
    this.workers.push(worker);
    return worker;
  }
}

/**
 * `settings`: extra LOCKSTEP_* variables (strings); `workers`: grading processes to start (0: none);
 * `students`: how many to create (at least one: creating them is what migrates the database).
 */
async function startSplitStack(drill, { workers = 1, students = 1, settings = {}, api = true } = {}) {
  requireBuild();
  const postgres = await startOwnPostgres(drill);
  const redis = await startOwnRedis(drill);
  const env = lockstepEnv({
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    LOCKSTEP_PORT: String(await freePort()),
    ...settings,
  });
  const created = await createStudents(drill, env, { count: Math.max(1, students) });
  const database = new PostgresDatabase(postgres.url);
  await database.installAudit();
  const stack = new SplitStack(drill, { postgres, redis, env, database, students: created });
  if (api) await stack.startApi();
  for (let i = 0; i < workers; i++) await stack.startWorker();
  drill.log(`API on ${stack.base}, ${workers} worker process(es)`);
  return stack;
}

module.exports = { startSplitStack };
