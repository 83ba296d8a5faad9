import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '../config/config.module';
import { loadConfig } from '../config/load-config';
import { DatabaseModule, MigrationRunner } from './database.module';
import { PrismaService } from './prisma.service';
import { createPostgresTestDatabase } from './test-database';

describe('DatabaseModule', () => {
  it('migrates for the API role, provides a connected PrismaService and closes it with the application', async () => {
    const database = await createPostgresTestDatabase({ migrate: false });
    try {
      const config = loadConfig({ DATABASE_URL: String(database.connection.clientConfig.connectionString) });
      @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule] })
      class AppModule {}
      const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
      const prisma = app.get(PrismaService);
      expect(await prisma.user.count()).toBe(0);
      expect((await app.get(MigrationRunner).runMigrations()).applied).toEqual([]);
      const close = jest.spyOn(prisma, 'close');
      await app.close();
      expect(close).toHaveBeenCalledTimes(1);
    } finally {
      await database.drop();
    }
  });
});
