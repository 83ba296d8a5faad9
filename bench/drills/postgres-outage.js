#!/usr/bin/env node
/**
 * Drill: the Postgres cluster (the drill's own) stopped for 20 s and started again while students
 * submit and workers grade. POSTs meanwhile must fail clearly and fast (a 5xx with a message, or a
 * refusal with Retry-After, within 5 s), never hang; nothing acknowledged is lost, nothing is graded
 * twice, no row exists that its client was not told about, and the service recovers by itself: the
 * same API and worker processes take and grade submissions again, with nobody restarting them.
 * The stop is `pg_ctl stop -m fast`, what a service manager does (sessions ended, clean checkpoint).
 *
 *   npm run build && node bench/drills/postgres-outage.js [--outage-s 20] [--students 6]
 */
const { parseArgs } = require('node:util');
const { runDrill } = require('./lib/drill');
const { runOutage } = require('./lib/outage');
const { startSplitStack } = require('./lib/split-stack');
const { mixedVariants, solution } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: { 'outage-s': { type: 'string', default: '20' }, students: { type: 'string', default: '6' } },
});
const OUTAGE_MS = Number(options['outage-s']) * 1000;

/** 2xx, a refusal that says when to come back, or a server error that says what went wrong. */
function allowed(outcome) {
  if (outcome.kind !== 'answer') return false;
  if (outcome.status >= 200 && outcome.status < 300) return true;
  if ((outcome.status === 503 || outcome.status === 429) && outcome.retryAfter > 0) return true;
  const message = outcome.body?.message;
  return outcome.status >= 500 && typeof message === 'string' && message.length > 0;
}

runDrill({
  name: 'postgres-outage',
  timeoutS: 600 + OUTAGE_MS / 1000,
  body: async (drill) => {
    const stack = await startSplitStack(drill, { workers: 1, students: Number(options.students) });
    // Producer-consumer takes seconds to grade, so gradings are in flight when the database goes.
    const variants = mixedVariants('fetch-all').flatMap((variant, i) =>
      i % 4 === 0 ? [variant, solution('producer-consumer')] : [variant],
    );
    return runOutage(drill, stack, {
      service: {
        name: 'postgres',
        stop: () => stack.postgres.stop('fast'),
        start: () => stack.postgres.start(),
      },
      outageMs: OUTAGE_MS,
      beforeMs: 10_000,
      afterMs: 20_000,
      variants,
      allowed,
      hangMs: 5_000,
      clientTimeoutMs: 15_000,
      // Generous: a grading whose report could not be written is taken again once its lease runs out.
      drainTimeoutMs: 300_000,
    });
  },
});
