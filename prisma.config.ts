import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate`; migrations are SQL files applied by the service itself.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
