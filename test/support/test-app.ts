import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import IORedis from 'ioredis';
import { createApiApp } from '../../src/api/create-api-app';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { CoursesRepository } from '../../src/courses/courses.repository';
import type { UserRole } from '../../src/users/users.repository';
import { UsersService } from '../../src/users/users.service';

export { createScratchPostgresDatabase as createScratchDatabase } from '../../src/database/test-database';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  /** Creates a user with a token, enrolled in the default course with the matching course role. */
  createUser(role: UserRole, options?: { enrol?: boolean }): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

/** The real HTTP application (not listening; supertest drives its server) on the given environment. */
export async function startTestApp(env: Record<string, string>): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lockstep-e2e-'));
  // A queue of its own on the shared Redis, unless the test shares one between apps on purpose.
  const ownPrefix = env.LOCKSTEP_QUEUE_PREFIX ? undefined : `lockstep-test-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    LOCKSTEP_DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    ...(ownPrefix ? { LOCKSTEP_QUEUE_PREFIX: ownPrefix } : {}),
    ...env,
  });
  const app = await createApiApp(config);
  await app.init();
  const users = app.get(UsersService, { strict: false });
  const courses = app.get(CoursesRepository, { strict: false });
  const course = await courses.ensureCourse(config.courseSlug);
  return {
    app,
    config,
    async createUser(role, options = {}) {
      const user = await users.createUser({
        name: `${role} ${randomBytes(3).toString('hex')}`,
        email: `${randomBytes(6).toString('hex')}@test.local`,
        role,
      });
      if (options.enrol !== false && role !== 'admin')
        await courses.enrol(user.id, course.id, role === 'instructor' ? 'instructor' : 'student');
      return { id: user.id, token: (await users.issueToken(user.id)).token };
    },
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
      if (ownPrefix && config.queue.kind === 'redis') await removeRedisKeys(config.queue.url, ownPrefix);
    },
  };
}

/** Deletes what a test's queue left in the shared Redis (its event stream, its metadata). */
export async function removeRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // An unreachable Redis (a test of that) has nothing of ours to remove.
  } finally {
    redis.disconnect();
  }
}
