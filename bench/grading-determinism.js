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
 *     [--warmup N]   (N gradings of each exercise's reference first, not counted: a warm sandbox process)
 *     [--root DIR]   (grade with another checkout's dist/ and exercises/; see checkout-runtime.js)
 *     [--json]       (progress on stderr, one JSON object on stdout; bench/runtime-compare.js reads it)
 */
const { spawn } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { checkoutRoot, runtimeVersions } = require('./checkout-runtime');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at === -1) return fallback;
  return args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
};
const ROOT = checkoutRoot(args);
const { SandboxPool } = require(join(ROOT, 'dist/src/sandbox/sandbox-pool.js'));
const { knownBadVariants } = require(join(ROOT, 'dist/src/exercises/known-bad-variants.js'));
const EXERCISES_DIR = join(ROOT, 'exercises');
const RUNS = Number(option('runs', 20));
const BURNERS = Number(option('burners', 0));
const POOL = Number(option('pool', 1));
const ONLY = option('exercise', '');
const FILES = option('files', '');
const WARMUP = Number(option('warmup', 0));
const AS_JSON = args.includes('--json');
// With --json, stdout carries only the JSON.
const progress = AS_JSON ? console.error : console.log;
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
  progress(
    `${slug}/${name}`.padEnd(56) +
      ` ${deterministic ? 'same every time' : 'DIFFERS'}: ${deterministic ? reports[0].status + ' ' + reports[0].score + '/' + reports[0].maxScore : outcomes}; ` +
      `median ${seconds(median(times))}, worst ${seconds(times.at(-1))}`,
  );
  return {
    name,
    deterministic,
    times,
    statuses: reports.map((report) => report.status),
    outcomes: Object.fromEntries(kinds),
  };
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
  const results = [];
  try {
    progress(
      `${RUNS} gradings per file with the server's seed, pool ${POOL}, ${BURNERS} CPU burners` +
        (WARMUP > 0 ? `, ${WARMUP} uncounted of each reference first` : ''),
    );
    for (const slug of exercises()) {
      const dir = join(EXERCISES_DIR, slug);
      if (!wanted('solution.ts'))
        throw new Error('--files must name solution.ts: the table compares against it');
      const referenceCode = readFileSync(join(dir, 'solution.ts'), 'utf8');
      for (let run = 0; run < WARMUP; run++) await pool.grade({ exercise: slug, code: referenceCode });
      const reference = await gradeFile(pool, slug, 'solution.ts', referenceCode);
      const variants = [];
      for (const variant of knownBadVariants(dir))
        if (wanted(`bad/${variant.file}`))
          variants.push(await gradeFile(pool, slug, `bad/${variant.file}`, variant.code));
      const badTimes = variants.flatMap((variant) => variant.times).sort((a, b) => a - b);
      const all = [reference, ...variants];
      results.push({ exercise: slug, files: all });
      rows.push(
        `| ${slug} | ${all.length} | ${all.length * RUNS} | ${all.filter((file) => file.deterministic).length}/${all.length} | ` +
          `${seconds(median(reference.times))} / ${seconds(reference.times.at(-1))} | ` +
          // No variants when --files names only the reference.
          `${badTimes.length === 0 ? '–' : `${seconds(median(badTimes))} / ${seconds(badTimes.at(-1))}`} |`,
      );
    }
  } finally {
    await pool.close();
    for (const burner of burners) burner.kill();
  }
  if (AS_JSON) {
    const settings = { runs: RUNS, warmup: WARMUP, pool: POOL, burners: BURNERS };
    process.stdout.write(
      `${JSON.stringify({ runtime: runtimeVersions(ROOT), root: ROOT, ...settings, results })}\n`,
    );
    return;
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
