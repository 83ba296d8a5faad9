#!/usr/bin/env node
/**
 * Drill: graceful stops in the middle of grading, three in a row (issue 10, finding 3). A correct
 * parallel-primes solution is submitted; each time a worker has claimed it and graded for a moment,
 * that worker gets SIGTERM (its shutdown hooks run), must exit within 30 s, and a new worker starts.
 * A job interrupted by a shutdown is not the submission's fault: it must end graded and passed,
 * never `error`, graded once. Recovery is from the last SIGTERM to the report.
 *
 * With the default shutdown grace a worker finishes the grading in hand before it exits, so the
 * series usually ends at the first SIGTERM. With `--grace-ms 0` (the runner's
 * `worker-sigterm-grace-0`) every SIGTERM interrupts the grading, which must be handed back each
 * time without counting: the submission ends graded after 1 attempt.
 *
 *   npm run build && node bench/drills/worker-sigterm.js [--stops 3] [--into-grading-ms 1500] [--grace-ms N]
 */
const { parseArgs } = require('node:util');
const { checkHistory, FINISHED, reportHistory, waitForDrain } = require('./lib/audit');
const { runDrill, sleep } = require('./lib/drill');
const { Ledger } = require('./lib/ledger');
const { waitForClaim } = require('./lib/moments');
const { startSplitStack } = require('./lib/split-stack');
const { solution } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: {
    stops: { type: 'string', default: '3' },
    'into-grading-ms': { type: 'string', default: '1500' },
    'grace-ms': { type: 'string' },
  },
});
const GRACE_MS = options['grace-ms'];
const STOPS = Number(options.stops);
const SHUTDOWN_LIMIT_MS = 30_000;
// A job handed back must reach a worker again: at once through the queue; the reconciler (queued
// rows older than its 5 s interval) or, for a row left running, the lease are the safety nets.
const RECLAIM_TIMEOUT_MS = 200_000;

runDrill({
  name: GRACE_MS === undefined ? 'worker-sigterm' : `worker-sigterm-grace-${GRACE_MS}`,
  timeoutS: 900,
  body: async (drill) => {
    const settings = GRACE_MS === undefined ? {} : { LOCKSTEP_SHUTDOWN_GRACE_MS: GRACE_MS };
    const stack = await startSplitStack(drill, { workers: 1, students: 1, settings });
    const ledger = new Ledger();
    const target = ledger.newRequest(stack.students[0], solution('parallel-primes'));
    await ledger.send(stack.base, target, { timeoutMs: 15_000 });
    if (!drill.expect(target.ackId, 'the submission was not acknowledged'))
      return reportHistory(drill, checkHistory(ledger, await stack.database.snapshot()));

    let midGrading = 0;
    let sent = 0;
    const shutdownMs = [];
    let lastStopAt = null;
    let claimedAt = null;
    for (let stop = 1; stop <= STOPS; stop++) {
      const row = await waitForClaim(drill, stack.database, target.ackId, {
        after: claimedAt,
        timeoutMs: RECLAIM_TIMEOUT_MS,
      });
      claimedAt = row.startedAt;
      if (FINISHED.has(row.status)) {
        drill.log(`the submission is ${row.status} before SIGTERM ${stop}`);
        break;
      }
      await sleep(Number(options['into-grading-ms']));
      const worker = stack.workers.at(-1);
      const before = (await stack.database.progress()).find((candidate) => candidate.id === target.ackId);
      if (before.status === 'running') midGrading++;
      sent++;
      lastStopAt = new Date();
      const took = await worker.stop({ signal: 'SIGTERM', timeoutMs: SHUTDOWN_LIMIT_MS });
      if (took === null)
        drill.fail(`${worker.name} did not exit within ${SHUTDOWN_LIMIT_MS / 1000} s of SIGTERM`);
      else shutdownMs.push(took);
      const after = (await stack.database.progress()).find((candidate) => candidate.id === target.ackId);
      drill.log(
        `SIGTERM ${stop} (row ${before.status}, attempt ${before.attempts}): ${worker.name} exited, row now ${after.status}`,
      );
      await stack.startWorker(`worker-${stop + 1}`);
    }
    // A worker that finishes its job before exiting may end the series early: that is not a failure.
    drill.expect(
      sent > 0 && midGrading === sent,
      `only ${midGrading} of ${sent} SIGTERMs landed mid-grading`,
    );
    drill.figure(
      'SIGTERMs mid-grading',
      `${midGrading}/${sent}${sent < STOPS ? ` (graded after SIGTERM ${sent})` : ''}`,
    );
    drill.figure('worker shutdown', shutdownMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ') || '-');

    const drain = await waitForDrain(drill, stack.database, ledger, { timeoutMs: RECLAIM_TIMEOUT_MS });
    const row = drain.snapshot?.rows.find((candidate) => candidate.id === target.ackId);
    drill.figure(
      'outcome',
      `${row?.status ?? '?'} ${row?.verdict ?? row?.errorMessage ?? ''} after ${row?.attempts ?? '?'} attempts`,
    );
    if (GRACE_MS === '0') {
      // Nothing could finish in the grace: every stop must have interrupted and handed it back.
      drill.expect(sent === STOPS, `the series ended after ${sent} of ${STOPS} SIGTERMs with no grace`);
      drill.expect(row?.attempts === 1, `${row?.attempts} attempts counted; hand-backs must not count`);
    }
    const recoveryMs =
      row?.status === 'graded' && lastStopAt ? row.gradedAt.getTime() - lastStopAt.getTime() : null;
    const counts = reportHistory(
      drill,
      checkHistory(ledger, drain.snapshot ?? (await stack.database.snapshot())),
    );
    return { ...counts, recoveryMs };
  },
});
