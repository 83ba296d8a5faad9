import type { INestApplication } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { HttpErrorsFilter } from './http-errors.filter';
import { SingleQueryValuesGuard } from './single-query-values.guard';

// Room for a 64 KiB file even when JSON escaping doubles it; larger bodies are refused before parsing.
const MAX_BODY = '512kb';

/** The HTTP application for the `api` and `all` roles, as main.ts serves it and the e2e tests drive it. */
export async function createApiApp(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRole(config), {
    bodyParser: false,
    logger: nestLogLevels(config),
  });
  app.use(json({ limit: MAX_BODY }));
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new HttpErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  app.useGlobalGuards(new SingleQueryValuesGuard());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Lockstep')
      .setDescription(
        'Automated grading of concurrent TypeScript: submit a file, read a report with evidence.',
      )
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'an API token (lst_...)' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

export function nestLogLevels(
  config: AppConfig,
): Array<'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose'> {
  const order = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return order.slice(0, order.indexOf(config.logLevel) + 1);
}
