import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createApiApp, nestLogLevels } from './api/create-api-app';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { ConfigError, loadConfig } from './config/load-config';
import { UsersService } from './users/users.service';

/**
 * Starts Lockstep in the configured role. With no configuration at all that is `all`: the HTTP API and
 * a grading worker in one process, on the embedded database and the in-process queue.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.role === 'worker') return startWorker(config);
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
  const url = `http://${config.http.host}:${config.http.port}`;
  new Logger('Lockstep').log(
    `${config.role === 'all' ? 'API and grading worker' : 'API'} listening on ${url}/api (docs: ${url}/api/docs)`,
  );
  if (config.database.kind === 'embedded')
    await printFirstStartTokens(app.get(UsersService, { strict: false }), config, url);
}

/** Like a notebook server: the first start creates an instructor and a demo student and shows their tokens once. */
async function printFirstStartTokens(users: UsersService, config: AppConfig, url: string): Promise<void> {
  const created = await users.ensureBootstrapUsers(config.courseSlug);
  if (!created) return;
  process.stdout.write(
    [
      '',
      'First start: created two users in course "' +
        config.courseSlug +
        '". Their tokens are shown only this once:',
      `  instructor  ${created.instructor.user.email}  ${created.instructor.token}`,
      `  student     ${created.student.user.email}  ${created.student.token}`,
      '',
      'Try it:',
      `  curl -H "Authorization: Bearer ${created.student.token}" ${url}/api/exercises`,
      '',
    ].join('\n') + '\n',
  );
}

/** A grading worker on its own: a Nest application context with no HTTP server. */
export async function startWorker(config: AppConfig): Promise<void> {
  const worker = await NestFactory.createApplicationContext(AppModule.forRole(config), {
    logger: nestLogLevels(config),
  });
  worker.enableShutdownHooks();
  new Logger('Lockstep').log(`grading worker started (${config.grading.workerConcurrency} jobs at a time)`);
}

export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Lockstep cannot start: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`Lockstep failed to start: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
