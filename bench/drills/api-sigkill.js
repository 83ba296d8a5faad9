#!/usr/bin/env node
/**
 * Drill: the API process SIGKILLed while clients wait on `POST ?wait=30`. Each student has two
 * submissions waiting (one with an Idempotency-Key, one without) behind a worker that grades one at a
 * time. The waiting clients must see their connection close at once (not wait out their timeout);
 * a new API starts on the same port 3 s later; keyed requests are sent again with their key and must
 * get the same submission back. Every acknowledged submission, and every committed one, is graded
 * once; nothing is duplicated. A committed request without a key whose connection died cannot be
 * told its id by any server, so such rows are counted (not failed); with a key they fail the drill.
 * Recovery: from the new API's start until every keyed client holds its submission's id again.
 *
 *   npm run build && node bench/drills/api-sigkill.js [--students 8] [--kill-after-s 4]
 */
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { checkHistory, reportHistory, waitForDrain } = require('./lib/audit');
const { runDrill, sleep } = require('./lib/drill');
const { describeOutcomes, Ledger } = require('./lib/ledger');
const { startSplitStack } = require('./lib/split-stack');
const { mixedVariants } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: { students: { type: 'string', default: '8' }, 'kill-after-s': { type: 'string', default: '4' } },
});
const WAIT_S = 30;
const CLIENT_TIMEOUT_MS = 45_000;
const CLOSED_WITHIN_MS = 5_000;
const API_DOWN_MS = 3_000;

runDrill({
  name: 'api-sigkill',
  timeoutS: 600,
  body: async (drill) => {
    const stack = await startSplitStack(drill, {
      workers: 1,
      students: Number(options.students),
      settings: { LOCKSTEP_WORKER_CONCURRENCY: '1' },
    });
    const ledger = new Ledger();
    const variants = mixedVariants('producer-consumer');
    const requests = stack.students.flatMap((student, i) => [
      ledger.newRequest(student, variants[(2 * i) % variants.length], { keyed: true }),
      ledger.newRequest(student, variants[(2 * i + 1) % variants.length], { keyed: false }),
    ]);
    const firstSends = requests.map((request) =>
      ledger.send(stack.base, request, { waitS: WAIT_S, timeoutMs: CLIENT_TIMEOUT_MS }),
    );
    await sleep(Number(options['kill-after-s']) * 1000);

    const waiting = requests.filter((request) => request.outcomes.length === 0);
    const killedAt = performance.now();
    stack.api.signal('SIGKILL');
    await stack.api.waitForExit(10_000);
    await Promise.all(firstSends);
    const atKill = waiting.map((request) => request.outcomes[0]);
    const closedFast = atKill.filter(
      (outcome) => outcome.kind === 'closed' && outcome.endedAt - killedAt < CLOSED_WITHIN_MS,
    );
    drill.figure('clients waiting at the kill', `${waiting.length} of ${requests.length}`);
    drill.figure('their outcome', describeOutcomes(atKill, CLOSED_WITHIN_MS).text || '-');
    drill.expect(waiting.length > 0, 'no client was waiting when the API was killed; lower --kill-after-s');
    drill.expect(
      closedFast.length === waiting.length,
      `${waiting.length - closedFast.length} waiting client(s) did not see the connection close within ${CLOSED_WITHIN_MS / 1000} s`,
    );

    await sleep(API_DOWN_MS);
    await stack.startApi();
    const apiBackAt = performance.now();
    drill.log(`a new API listens; keyed requests are sent again with their key (no wait)`);
    const resend = () => requests.filter((request) => request.idempotencyKey && request.ackId === null);
    await drill.waitFor(
      'every keyed request acknowledged after the restart',
      async () => {
        await Promise.all(
          resend().map((request) => ledger.send(stack.base, request, { timeoutMs: CLIENT_TIMEOUT_MS })),
        );
        return resend().length === 0;
      },
      { timeoutMs: 180_000, intervalMs: 1000 },
    );
    // Recovered: every client that kept its key holds its submission's id again.
    const recoveryMs = performance.now() - apiBackAt;

    const drain = await waitForDrain(drill, stack.database, ledger, { timeoutMs: 240_000 });
    const result = checkHistory(ledger, drain.snapshot ?? (await stack.database.snapshot()));
    const counts = reportHistory(drill, result, { phantomsAllowed: 'unkeyed' });
    return { ...counts, recoveryMs };
  },
});
