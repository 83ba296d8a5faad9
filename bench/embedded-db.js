#!/usr/bin/env node
// Measures the two ways to run the embedded database through Prisma (see docs/benchmarks.md).
// The bench is TypeScript (it uses the generated client); esbuild bundles it with packages external.
const { buildSync } = require('esbuild');
const path = require('node:path');
const { mkdirSync } = require('node:fs');

// Beside the repository so the bundle resolves node_modules; *.tmp there is git-ignored.
const outfile = path.join(__dirname, 'results', `embedded-db.${process.pid}.tmp`);
mkdirSync(path.dirname(outfile), { recursive: true });
buildSync({
  entryPoints: [path.join(__dirname, 'embedded-db.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
});
try {
  require(outfile);
} finally {
  require('node:fs').rmSync(outfile, { force: true });
}
