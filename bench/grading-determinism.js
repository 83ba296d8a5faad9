/**
 * Determinism and cost of grading, for every exercise (or those named): each file (the reference
 * and every known-bad variant) is graded `--runs` times with the seed the server would use (derived
 * from the code), through a SandboxPool, while `--burners` processes spin on the CPU. A file is
 * deterministic when every grading gives the same status, score and per-check statuses. Prints one
 * line per file, then a Markdown table per exercise: files, gradings, deterministic files, and the
 * median and worst grading time (report.durationMs) of the reference and of the variants.
 *
 *   npm run build && node --no-node-snapshot bench/grading-determinism.js --runs 20 --burners 1 [--exercise a,b] [--pool 1]
 *     [--files solution.ts,bad/x.ts]   (only these files of each exercise, e.g. after changing one judge)
 */
const { spawn } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { SandboxPool } = require('../dist/src/sandbox/sandbox-pool.js');
const { knownBadVariants } = require('../dist/src/exercises/known-bad-variants.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
};
const EXERCISES_DIR = resolve(__dirname, '../exercises');
const RUNS = Number(option('runs', 20));
const BURNERS = Number(option('burners', 0));
const POOL = Number(option('pool', 1));
const ONLY = option('exercise', '');
const FILES = option('files', '');
const wanted = (name) => FILES === '' || FILES.split(',').includes(name);

const exercises = () =>
  readdirSync(EXERCISES_DIR)
    .filter((slug) => existsSync(join(EXERCISES_DIR, slug, 'exercise.json')))
    .filter((slug) => ONLY === '' || ONLY.split(',').includes(slug))
    .sort();

const fingerprint = (report) =>
  `${report.status} ${report.score}/${report.maxScore} ${report.checks.map((check) => `${check.id}:${check.status}`).join(',')}`;
const median = (sorted) => sorted[Math.floor(sorted.length / 2)];
const seconds = (ms) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

async function gradeFile(pool, slug, name, code) {
  const reports = [];
  for (let run = 0; run < RUNS; run++) reports.push(await pool.grade({ exercise: slug, code }));
  const kinds = new Map();
  for (const report of reports) kinds.set(fingerprint(report), (kinds.get(fingerprint(report)) ?? 0) + 1);
  const times = reports.map((report) => report.durationMs).sort((a, b) => a - b);
  const deterministic = kinds.size === 1;
  const outcomes = [...kinds].map(([kind, count]) => `${count}x ${kind}`).join(' | ');
  console.log(
    `${slug}/${name}`.padEnd(56) +
      ` ${deterministic ? 'same every time' : 'DIFFERS'}: ${deterministic ? reports[0].status + ' ' + reports[0].score + '/' + reports[0].maxScore : outcomes}; ` +
      `median ${seconds(median(times))}, worst ${seconds(times.at(-1))}`,
  );
  return { deterministic, times };
}

async function main() {
  const burners = Array.from({ length: BURNERS }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  const pool = new SandboxPool({
    size: POOL,
    logOsLimits: () => undefined,
    logDedicatedCores: () => undefined,
  });
  const rows = [];
  try {
    console.log(`${RUNS} gradings per file with the server's seed, pool ${POOL}, ${BURNERS} CPU burners`);
    for (const slug of exercises()) {
      const dir = join(EXERCISES_DIR, slug);
      if (!wanted('solution.ts'))
        throw new Error('--files must name solution.ts: the table compares against it');
      const reference = await gradeFile(
        pool,
        slug,
        'solution.ts',
        readFileSync(join(dir, 'solution.ts'), 'utf8'),
      );
      const variants = [];
      for (const variant of knownBadVariants(dir))
        if (wanted(`bad/${variant.file}`))
          variants.push(await gradeFile(pool, slug, `bad/${variant.file}`, variant.code));
      const badTimes = variants.flatMap((variant) => variant.times).sort((a, b) => a - b);
      const all = [reference, ...variants];
      rows.push(
        `| ${slug} | ${all.length} | ${all.length * RUNS} | ${all.filter((file) => file.deterministic).length}/${all.length} | ` +
          `${seconds(median(reference.times))} / ${seconds(reference.times.at(-1))} | ` +
          `${seconds(median(badTimes))} / ${seconds(badTimes.at(-1))} |`,
      );
    }
  } finally {
    await pool.close();
    for (const burner of burners) burner.kill();
  }
  console.log(
    '\n| exercise | files | gradings | same status, score and checks every time | reference median / worst | known-bad median / worst |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
