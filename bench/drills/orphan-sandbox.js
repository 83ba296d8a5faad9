#!/usr/bin/env node
/**
 * Drill: the lifetime of sandbox processes whose worker died (issue 10, finding 2). A race-free-counter
 * Mutex whose lock() spins forever is submitted to a fresh worker; at some moment of its grading the
 * worker gets SIGKILL and no worker takes over. Every process the worker had forked (the sandbox
 * grading it, idle ones, what they started) must be gone within ~2 s, whatever the student code was
 * doing. One round per kill moment (--kills):
 *   spinning  a thread of a sandbox process (an isolate running the student's lock()) burns a core
 *             right now; if that is never seen within 45 s, the kill comes then
 *   N         N seconds after the claim (grading passes through phases: controlled runs, real
 *             threads spinning, runs being stopped)
 * The drill measures how long each process outlived the worker, fails if any is alive after
 * --orphan-limit-s, and kills what is left so a failed drill leaves no core burning.
 *
 *   npm run build && node bench/drills/orphan-sandbox.js [--kills spinning,5,10,15] [--orphan-limit-s 10]
 */
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { HangError, runDrill, sleep } = require('./lib/drill');
const { Ledger } = require('./lib/ledger');
const { waitForClaim } = require('./lib/moments');
const proc = require('./lib/proc');
const { startSplitStack } = require('./lib/split-stack');
const { spinningLock } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: {
    kills: { type: 'string', default: 'spinning,5,10,15' },
    'orphan-limit-s': { type: 'string', default: '10' },
  },
});
const KILLS = options.kills.split(',');
const ORPHAN_LIMIT_MS = Number(options['orphan-limit-s']) * 1000;
const SPINNING_SEARCH_MS = 45_000;
const SAMPLE_MS = 500;

/** A sandbox process with a thread other than its main one using >= 80% of a core: the student's spin. */
async function spinningSandbox(workerPid) {
  const sandboxes = proc
    .descendants(workerPid)
    .filter((stat) => proc.commandLine(stat.pid).includes('sandbox-process'));
  const before = new Map(sandboxes.map((stat) => [stat.pid, proc.threads(stat.pid)]));
  await sleep(SAMPLE_MS);
  for (const { pid } of sandboxes) {
    const earlier = before.get(pid);
    for (const [tid, thread] of proc.threads(pid)) {
      const used = tid !== pid && earlier.has(tid) ? thread.cpuS - earlier.get(tid).cpuS : 0;
      if (used >= 0.8 * (SAMPLE_MS / 1000)) return pid;
    }
  }
  return undefined;
}

/** Waits for the round's kill moment; says what the moment was. */
async function reachKillMoment(drill, worker, kill) {
  if (kill !== 'spinning') {
    await sleep(Number(kill) * 1000);
    return `${kill} s into grading`;
  }
  try {
    const pid = await drill.waitFor('a sandbox thread spinning', () => spinningSandbox(worker.pid), {
      timeoutMs: SPINNING_SEARCH_MS,
      intervalMs: 0,
    });
    return `a moment a thread of sandbox ${pid} spins`;
  } catch (error) {
    if (!(error instanceof HangError)) throw error;
    return `no spinning thread seen in ${SPINNING_SEARCH_MS / 1000} s`;
  }
}

/** Kills the worker, then watches what it forked until all is gone or the limit passes. */
async function killAndWatch(drill, worker, forked) {
  const killedAt = performance.now();
  worker.signal('SIGKILL');
  const lifetimes = new Map();
  while (lifetimes.size < forked.length && performance.now() - killedAt < ORPHAN_LIMIT_MS) {
    for (const process of forked)
      if (!lifetimes.has(process.pid) && !proc.isAlive(process))
        lifetimes.set(process.pid, performance.now() - killedAt);
    await sleep(20);
  }
  const survivors = forked.filter((process) => !lifetimes.has(process.pid));
  for (const survivor of survivors) {
    const cpuSinceKill = (proc.readStat(survivor.pid)?.cpuS ?? survivor.cpuS) - survivor.cpuS;
    drill.fail(
      `process ${survivor.pid} (…${survivor.command.slice(-50)}) alive ${ORPHAN_LIMIT_MS / 1000} s after ` +
        `the worker above it got SIGKILL, ${cpuSinceKill.toFixed(1)} s of CPU since`,
    );
  }
  survivors.forEach(proc.killIdentity);
  await drill.waitFor(
    'the surviving processes to die of the drill SIGKILL',
    () => !survivors.some(proc.isAlive),
    {
      timeoutMs: 10_000,
    },
  );
  return { longestMs: Math.max(0, ...lifetimes.values()), survivors: survivors.length };
}

runDrill({
  name: 'orphan-sandbox',
  timeoutS: 120 + KILLS.length * (90 + ORPHAN_LIMIT_MS / 1000),
  body: async (drill) => {
    const stack = await startSplitStack(drill, { workers: 0, students: KILLS.length });
    const ledger = new Ledger();
    const rounds = [];
    for (const [round, kill] of KILLS.entries()) {
      const worker = await stack.startWorker(`worker-round-${round + 1}`);
      const request = ledger.newRequest(stack.students[round], spinningLock());
      await ledger.send(stack.base, request, { timeoutMs: 15_000 });
      if (!drill.expect(request.ackId, `round ${round + 1}: the submission was not acknowledged`)) continue;
      await waitForClaim(drill, stack.database, request.ackId, { timeoutMs: 60_000 });
      const moment = await reachKillMoment(drill, worker, kill);
      const forked = proc
        .descendants(worker.pid)
        .map((stat) => ({ ...stat, command: proc.commandLine(stat.pid) }));
      // Whatever happens next, nothing the worker forked survives the drill.
      drill.defer(`kill the orphans of round ${round + 1}`, () => forked.forEach(proc.killIdentity));
      const { longestMs, survivors } = await killAndWatch(drill, worker, forked);
      const lifetime = survivors
        ? `> ${ORPHAN_LIMIT_MS / 1000} s (${survivors}/${forked.length} alive)`
        : `${(longestMs / 1000).toFixed(2)} s`;
      drill.log(
        `round ${round + 1}: SIGKILL at ${moment}; ${forked.length} processes under the worker, lifetime ${lifetime}`,
      );
      rounds.push(`${lifetime} (kill ${kill === 'spinning' ? 'while spinning' : `at ${kill} s`})`);
    }
    drill.figure('orphan lifetime', rounds.join(', '));
    // No worker runs after a kill, by design: those submissions stay running; only the orphans count here.
    return { submitted: ledger.requests.length, acknowledged: ledger.acknowledged.length, graded: 0 };
  },
});
