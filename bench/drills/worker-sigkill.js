#!/usr/bin/env node
/**
 * Drill: a grading worker SIGKILLed in the middle of grading. A correct parallel-primes solution (a
 * few seconds of real threads) and three fetch-all files are submitted to one worker; once the
 * parallel-primes row is claimed and has graded for a moment, the worker gets SIGKILL (no shutdown
 * hook runs) and a new worker starts. Every submission must end graded, once, with the right verdict;
 * the recovery time is from the kill to the killed job's report.
 *
 *   npm run build && node bench/drills/worker-sigkill.js [--into-grading-ms 1500]
 */
const { parseArgs } = require('node:util');
const { checkHistory, reportHistory, waitForDrain } = require('./lib/audit');
const { runDrill, sleep } = require('./lib/drill');
const { Ledger } = require('./lib/ledger');
const { waitForClaim } = require('./lib/moments');
const { startSplitStack } = require('./lib/split-stack');
const { mixedVariants, solution } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: { 'into-grading-ms': { type: 'string', default: '1500' } },
});
// Bounds the wait for the killed job, generously: Lockstep's default lease is 15 s (it was 120 s
// before the heartbeat), and the drill measures the defaults.
const LEASE_MS = 120_000;

runDrill({
  name: 'worker-sigkill',
  timeoutS: 600,
  body: async (drill) => {
    const stack = await startSplitStack(drill, { workers: 1, students: 1 });
    const [student] = stack.students;
    const ledger = new Ledger();
    const target = ledger.newRequest(student, solution('parallel-primes'));
    const others = mixedVariants('fetch-all')
      .slice(0, 3)
      .map((variant) => ledger.newRequest(student, variant));
    for (const request of [target, ...others]) await ledger.send(stack.base, request, { timeoutMs: 15_000 });
    drill.expect(
      ledger.acknowledged.length === 4,
      `${ledger.acknowledged.length} of 4 submissions acknowledged`,
    );
    if (!target.ackId) return reportHistory(drill, checkHistory(ledger, await stack.database.snapshot()));

    await waitForClaim(drill, stack.database, target.ackId, { timeoutMs: 120_000 });
    await sleep(Number(options['into-grading-ms']));
    const [victim] = stack.workers;
    const killedAt = new Date();
    victim.signal('SIGKILL');
    await victim.waitForExit(10_000);
    const atKill = (await stack.database.progress()).find((row) => row.id === target.ackId);
    drill.expect(
      atKill.status === 'running',
      `the kill did not land mid-grading (the row was ${atKill.status}); raise --into-grading-ms or lower it`,
    );
    drill.log(`worker SIGKILLed while grading ${target.ackId}; starting a new worker`);
    await stack.startWorker('worker-restarted');

    const drain = await waitForDrain(drill, stack.database, ledger, { timeoutMs: LEASE_MS + 180_000 });
    const row = drain.snapshot?.rows.find((candidate) => candidate.id === target.ackId);
    const recoveryMs = row?.status === 'graded' ? row.gradedAt.getTime() - killedAt.getTime() : null;
    drill.figure(
      'killed job',
      `${row?.status ?? '?'} ${row?.verdict ?? ''} after ${row?.attempts ?? '?'} attempts`,
    );
    const counts = reportHistory(
      drill,
      checkHistory(ledger, drain.snapshot ?? (await stack.database.snapshot())),
    );
    return { ...counts, recoveryMs };
  },
});
