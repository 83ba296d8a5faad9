/**
 * How reliably the producer-consumer grader passes its reference and catches each known-bad variant
 * on a loaded host: every file is graded N times (a different seed each time) through a SandboxPool,
 * while `--burners` processes spin on the CPU. Prints, per file, how many gradings came out as
 * expected and the median and worst grading time (report.durationMs).
 *
 *   npm run build && node --no-node-snapshot bench/producer-consumer-reliability.js --runs 30 --burners 2 --pool 2
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const { SandboxPool } = require('../dist/src/sandbox/sandbox-pool.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const RUNS = Number(option('runs', 30));
const BURNERS = Number(option('burners', 2));
const POOL = Number(option('pool', 2));
const ONLY = option('only', '');

const EXERCISE_DIR = resolve(__dirname, '../exercises/producer-consumer');

function files() {
  const bad = readdirSync(join(EXERCISE_DIR, 'bad'))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ({ name: `bad/${file}`, path: join(EXERCISE_DIR, 'bad', file) }));
  return [{ name: 'solution.ts', path: join(EXERCISE_DIR, 'solution.ts') }, ...bad].filter((file) =>
    file.name.includes(ONLY),
  );
}

function expectFail(code) {
  const match = /^\/\/\s*expect-fail:\s*(.+)$/.exec(code.split('\n', 1)[0]);
  return match ? match[1].split(',').map((id) => id.trim()) : null;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main() {
  const exercisesDir = mkdtempSync(join(tmpdir(), 'pc-reliability-'));
  symlinkSync(EXERCISE_DIR, join(exercisesDir, 'producer-consumer'));
  const burners = Array.from({ length: BURNERS }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  const pool = new SandboxPool({ size: POOL, exercisesDir, logOsLimits: () => undefined });
  try {
    console.log(`${RUNS} gradings per file, pool ${POOL}, ${BURNERS} CPU burners`);
    for (const file of files()) {
      const code = readFileSync(file.path, 'utf8');
      const expected = expectFail(code);
      const outcomes = await Promise.all(
        Array.from({ length: RUNS }, async (_, run) => {
          const report = await pool.grade({
            exercise: 'producer-consumer',
            code,
            seed: `reliability-${run}`,
          });
          const failed = report.checks.filter((check) => check.status === 'failed').map((check) => check.id);
          const ok =
            expected === null
              ? report.status === 'passed'
              : report.status === 'failed' && expected.every((id) => failed.includes(id));
          return { ok, ms: report.durationMs, status: report.status, failed, checks: report.checks };
        }),
      );
      const times = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
      const good = outcomes.filter((outcome) => outcome.ok).length;
      console.log(
        `${file.name.padEnd(36)} ${good}/${RUNS} as expected (${expected ? `fails ${expected.join(', ')}` : 'passes'}); ` +
          `grading median ${Math.round(percentile(times, 0.5))} ms, worst ${Math.round(times[times.length - 1])} ms`,
      );
      for (const outcome of outcomes.filter((o) => !o.ok)) {
        const wrong = outcome.checks
          .filter((check) =>
            expected ? expected.includes(check.id) && check.status !== 'failed' : check.status !== 'passed',
          )
          .map((check) => `${check.id}: ${check.status} ${check.message.slice(0, 300)}`);
        console.log(`    unexpected: ${outcome.status}; ${wrong.join(' | ')}`);
      }
    }
  } finally {
    await pool.close();
    for (const burner of burners) burner.kill();
    rmSync(exercisesDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
