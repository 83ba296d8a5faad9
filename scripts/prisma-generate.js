#!/usr/bin/env node
// Runs `prisma generate` without the native schema engine: Prisma 7 downloads that engine from the
// internet, which a sealed build machine cannot reach, yet generating the client never runs it.
// Any existing file satisfies the CLI's check; migrations are plain SQL applied by the service.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';
const prismaCli = require.resolve('prisma/build/index.js');
execFileSync(process.execPath, [prismaCli, 'generate'], {
  cwd: path.join(__dirname, '..'),
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});
