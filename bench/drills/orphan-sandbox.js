#!/usr/bin/env node
/**
 * Drill: the lifetime of sandbox processes whose worker died (issue 10, finding 2). A race-free-counter
 * Mutex whose lock() spins forever is submitted to a fresh worker; some seconds into its grading the
 * worker gets SIGKILL and no worker takes over. Every process the worker had forked (the one grading
 * and the idle ones) must be gone within ~2 s, whatever the student code was doing at that moment.
 * Grading goes through phases (controlled runs, real threads spinning, runs being stopped), so the
 * kill lands at several moments, one round each. The drill measures how long each process outlived
 * its worker, fails if any is alive after --orphan-limit-s, and kills what is left so a failed drill
 * leaves no core burning.
 *
 *   npm run build && node bench/drills/orphan-sandbox.js [--kill-after-s 2,8,14] [--orphan-limit-s 10]
 */
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { runDrill, sleep } = require('./lib/drill');
const { Ledger } = require('./lib/ledger');
const { waitForClaim } = require('./lib/moments');
const { commandLine, descendants, isAlive, killIdentity, readStat } = require('./lib/proc');
const { startSplitStack } = require('./lib/split-stack');
const { spinningLock } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: {
    'kill-after-s': { type: 'string', default: '2,8,14' },
    'orphan-limit-s': { type: 'string', default: '10' },
  },
});
const KILL_AFTER_MS = options['kill-after-s'].split(',').map((s) => Number(s) * 1000);
const ORPHAN_LIMIT_MS = Number(options['orphan-limit-s']) * 1000;
const CPU_SAMPLE_MS = 1000;

/**
 * Every process under the worker (sandbox processes and what they started, e.g. esbuild's service)
 * and the share of a core each used over the last second, the busiest first.
 */
async function sampleForked(workerPid) {
  const before = new Map(descendants(workerPid).map((stat) => [stat.pid, stat]));
  await sleep(CPU_SAMPLE_MS);
  return descendants(workerPid)
    .map((stat) => {
      const earlier = before.get(stat.pid);
      const share =
        earlier?.startTime === stat.startTime ? (stat.cpuS - earlier.cpuS) / (CPU_SAMPLE_MS / 1000) : 0;
      return { ...stat, share, command: commandLine(stat.pid) };
    })
    .sort((a, b) => b.share - a.share);
}

/** Kills the worker, then watches what it forked until all is gone or the limit passes. */
async function killAndWatch(drill, worker, forked) {
  const killedAt = performance.now();
  worker.signal('SIGKILL');
  const lifetimes = new Map();
  while (lifetimes.size < forked.length && performance.now() - killedAt < ORPHAN_LIMIT_MS) {
    for (const process of forked)
      if (!lifetimes.has(process.pid) && !isAlive(process))
        lifetimes.set(process.pid, performance.now() - killedAt);
    await sleep(20);
  }
  const survivors = forked.filter((process) => !lifetimes.has(process.pid));
  for (const survivor of survivors) {
    const cpuSinceKill = (readStat(survivor.pid)?.cpuS ?? survivor.cpuS) - survivor.cpuS;
    drill.fail(
      `process ${survivor.pid} (…${survivor.command.slice(-50)}) alive ${ORPHAN_LIMIT_MS / 1000} s after ` +
        `the worker above it got SIGKILL, ${cpuSinceKill.toFixed(1)} s of CPU since`,
    );
  }
  survivors.forEach(killIdentity);
  await drill.waitFor(
    'the surviving sandbox processes to die of the drill SIGKILL',
    () => !survivors.some(isAlive),
    {
      timeoutMs: 10_000,
    },
  );
  return { lifetimes, survivors };
}

runDrill({
  name: 'orphan-sandbox',
  timeoutS: 120 + KILL_AFTER_MS.length * (60 + ORPHAN_LIMIT_MS / 1000),
  body: async (drill) => {
    const stack = await startSplitStack(drill, { workers: 0, students: KILL_AFTER_MS.length });
    const ledger = new Ledger();
    const rounds = [];
    for (const [round, killAfterMs] of KILL_AFTER_MS.entries()) {
      const worker = await stack.startWorker(`worker-round-${round + 1}`);
      const request = ledger.newRequest(stack.students[round], spinningLock());
      await ledger.send(stack.base, request, { timeoutMs: 15_000 });
      if (!drill.expect(request.ackId, `round ${round + 1}: the submission was not acknowledged`)) continue;
      await waitForClaim(drill, stack.database, request.ackId, 1, 60_000);
      await sleep(Math.max(0, killAfterMs - CPU_SAMPLE_MS));
      const forked = await sampleForked(worker.pid);
      // Whatever happens next, nothing the worker forked survives the drill.
      drill.defer(`kill the orphans of round ${round + 1}`, () => forked.forEach(killIdentity));
      const busiest = forked[0];
      const { lifetimes, survivors } = await killAndWatch(drill, worker, forked);
      const longestMs = Math.max(0, ...lifetimes.values());
      const text = survivors.length
        ? `> ${ORPHAN_LIMIT_MS / 1000} s (${survivors.length}/${forked.length} alive)`
        : `${(longestMs / 1000).toFixed(2)} s`;
      drill.log(
        `round ${round + 1}: SIGKILL ${killAfterMs / 1000} s into grading, busiest sandbox at ` +
          `${Math.round((busiest?.share ?? 0) * 100)}% of a core; ${forked.length} processes under the worker, lifetime ${text}`,
      );
      rounds.push({ killAfterMs, text, survivors: survivors.length, longestMs, busy: busiest?.share ?? 0 });
    }
    drill.figure(
      'orphan lifetime',
      rounds
        .map((r) => `${r.text} (kill at ${r.killAfterMs / 1000} s, ${Math.round(r.busy * 100)}% cpu)`)
        .join(', '),
    );
    // No worker runs after a kill, by design: those submissions stay running; only the orphans count here.
    return { submitted: ledger.requests.length, acknowledged: ledger.acknowledged.length, graded: 0 };
  },
});
