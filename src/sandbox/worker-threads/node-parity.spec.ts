/**
 * The same student file, run in the sandbox (runMainThread, through dist/) and under plain `node`
 * (compiled to CommonJS by esbuild, `import.meta.url` defined as Node defines it for the file),
 * must answer the same for every pattern the course uses: proof that the sandbox's
 * node:worker_threads keeps Node's semantics, not just its names.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type { MainRunFixtureRun } from './__fixtures__/run-main';
import { NODE_PARITY_EXPORTS, WORKER_PATTERNS } from './__fixtures__/worker-patterns';

const RUNNER = resolve(__dirname, '../../../dist/src/sandbox/worker-threads/__fixtures__/run-main.js');

/** Calls each export in turn in a plain Node process and prints `{ kind, value }` for each. */
const PLAIN_NODE_CALLER = `
const solution = require('./solution.js');
const calls = JSON.parse(process.argv[2]);
let calling = 'nothing yet';
// Node ends a program whose event loop is empty even while a promise is pending: say which one.
process.on('exit', () => calling && process.stdout.write(JSON.stringify({ unsettled: calling })));
(async () => {
  const results = [];
  for (const { exportName, args } of calls) {
    calling = exportName;
    try {
      results.push({ kind: 'resolved', value: await solution[exportName](...args) });
    } catch (error) {
      results.push({ kind: 'rejected', message: String(error) });
    }
  }
  calling = undefined;
  process.stdout.write(JSON.stringify(results));
  process.exit(0);
})();
`;

function runUnderPlainNode(): unknown[] {
  const folder = mkdtempSync(join(tmpdir(), 'lockstep-node-parity-'));
  try {
    writeFileSync(join(folder, 'solution.ts'), WORKER_PATTERNS);
    buildSync({
      entryPoints: [join(folder, 'solution.ts')],
      outfile: join(folder, 'solution.js'),
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'error',
      banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__importMetaUrl' },
    });
    writeFileSync(join(folder, 'caller.js'), PLAIN_NODE_CALLER);
    const output = execFileSync(
      process.execPath,
      [join(folder, 'caller.js'), JSON.stringify(NODE_PARITY_EXPORTS)],
      {
        cwd: folder,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const results = JSON.parse(output) as unknown[] | { unsettled: string };
    if (!Array.isArray(results)) throw new Error(`under plain node, ${results.unsettled} never settled`);
    return results;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function runInSandbox(): unknown[] {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify({ code: WORKER_PATTERNS, scenarios: NODE_PARITY_EXPORTS }),
    encoding: 'utf8',
  });
  return (JSON.parse(output) as MainRunFixtureRun[]).map((run) => {
    if (!run.evidence) throw new Error(`the sandbox gave a verdict: ${JSON.stringify(run.verdict)}`);
    // Node has no source map to the student's line; the rest of the result must be the same.
    const { location: _location, ...result } = run.evidence.result as { location?: unknown };
    return result;
  });
}

describe('node:worker_threads in the sandbox and under plain Node', () => {
  it('answers every course pattern the same: counts, messages, port queues, shared memory, workerData, errors, terminate, timers', () => {
    const plain = runUnderPlainNode();
    const sandboxed = runInSandbox();
    for (const [index, { exportName }] of NODE_PARITY_EXPORTS.entries())
      expect({ exportName, result: sandboxed[index] }).toEqual({ exportName, result: plain[index] });
    // Not vacuous: every pattern resolved, and with what the pattern is about.
    expect(plain.every((result) => (result as { kind: string }).kind === 'resolved')).toBe(true);
    expect(plain[0]).toEqual({ kind: 'resolved', value: 1229 });
  });
});
