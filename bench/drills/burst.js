#!/usr/bin/env node
/**
 * Drill: a burst of 1,000 submissions from 50 students (fetch-all: half reference solutions, half
 * known-bad variants) against the API and two workers, sent 64 at a time without waiting. Every POST
 * must be accepted (no 5xx, no refusal: each student stays within its limit), the queue must drain,
 * every report must carry the right verdict, nothing lost or graded twice. Prints the POST rate, the
 * drain time (first POST to last report, from the database's graded_at), graded/s and the peak
 * resident memory of the API and of each worker (and of the sandbox processes under it).
 *
 *   npm run build && node bench/drills/burst.js [--submissions 1000] [--students 50] [--workers 2] [--in-flight 64]
 */
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { checkHistory, reportHistory, waitForDrain } = require('./lib/audit');
const { runDrill } = require('./lib/drill');
const { describeOutcomes, Ledger } = require('./lib/ledger');
const { RssSampler } = require('./lib/rss-sampler');
const { startSplitStack } = require('./lib/split-stack');
const { mixedVariants } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: {
    submissions: { type: 'string', default: '1000' },
    students: { type: 'string', default: '50' },
    workers: { type: 'string', default: '2' },
    'in-flight': { type: 'string', default: '64' },
  },
});
const SUBMISSIONS = Number(options.submissions);
const STUDENTS = Number(options.students);
const IN_FLIGHT = Number(options['in-flight']);

runDrill({
  name: 'burst',
  timeoutS: 900,
  body: async (drill) => {
    const stack = await startSplitStack(drill, {
      workers: Number(options.workers),
      students: STUDENTS,
      // Each student's share of the burst stays within its limit: every POST should be accepted.
      settings: { LOCKSTEP_MAX_QUEUED_PER_STUDENT: String(Math.ceil(SUBMISSIONS / STUDENTS)) },
    });
    const sampler = new RssSampler([stack.api, ...stack.workers]);
    drill.defer('stop sampling memory', () => sampler.stop());
    const ledger = new Ledger();
    const variants = mixedVariants('fetch-all');
    const requests = Array.from({ length: SUBMISSIONS }, (_, i) =>
      ledger.newRequest(stack.students[i % STUDENTS], variants[i % variants.length]),
    );

    const startedWall = Date.now();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < requests.length; i = next++)
          await ledger.send(stack.base, requests[i], { timeoutMs: 30_000 });
      }),
    );
    const postS = (performance.now() - started) / 1000;
    const answers = describeOutcomes(ledger.outcomes, 5_000);
    drill.figure(
      'POSTs',
      `${answers.text} in ${postS.toFixed(1)} s (${(SUBMISSIONS / postS).toFixed(0)}/s, slowest ${(answers.slowestMs / 1000).toFixed(1)} s)`,
    );
    const notAccepted = ledger.outcomes.filter(
      (outcome) => outcome.kind !== 'answer' || outcome.status !== 202,
    );
    drill.expect(
      notAccepted.length === 0,
      `${notAccepted.length} POST(s) not accepted: ${describeOutcomes(notAccepted, 5_000).text}`,
    );

    const drain = await waitForDrain(drill, stack.database, ledger, { timeoutMs: 600_000 });
    sampler.stop();
    if (drain.drained) {
      const drainS = (drain.lastFinishedAt.getTime() - startedWall) / 1000;
      drill.figure('drain', `${drainS.toFixed(1)} s (${(SUBMISSIONS / drainS).toFixed(1)} graded/s)`);
    }
    drill.figure('peak RSS', sampler.describe());
    return reportHistory(drill, checkHistory(ledger, drain.snapshot ?? (await stack.database.snapshot())));
  },
});
