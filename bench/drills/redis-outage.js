#!/usr/bin/env node
/**
 * Drill: Redis stopped for 45 s and started again while students submit (issue 10, finding 1). Every
 * POST must answer within 5 s: 202 with a committed row, or a refusal at once (503, or 429 for the
 * student limit, with Retry-After); never a hang. No row may exist that its client was not told
 * about (every request carries a marker; half carry an Idempotency-Key and are re-sent with it until
 * acknowledged, the others are not re-sent). Everything acknowledged is graded once after Redis
 * returns. The drill's Redis keeps an append-only file, so the restart keeps its data.
 *
 *   npm run build && node bench/drills/redis-outage.js [--outage-s 45] [--students 6]
 */
const { parseArgs } = require('node:util');
const { runDrill } = require('./lib/drill');
const { runOutage } = require('./lib/outage');
const { startSplitStack } = require('./lib/split-stack');
const { mixedVariants } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: { 'outage-s': { type: 'string', default: '45' }, students: { type: 'string', default: '6' } },
});
const OUTAGE_MS = Number(options['outage-s']) * 1000;

/** 2xx, or a refusal that says when to come back. */
function allowed(outcome) {
  if (outcome.kind !== 'answer') return false;
  if (outcome.status >= 200 && outcome.status < 300) return true;
  return (outcome.status === 503 || outcome.status === 429) && outcome.retryAfter > 0;
}

runDrill({
  name: 'redis-outage',
  timeoutS: 600 + OUTAGE_MS / 1000,
  body: async (drill) => {
    const stack = await startSplitStack(drill, { workers: 1, students: Number(options.students) });
    return runOutage(drill, stack, {
      service: { name: 'redis', stop: () => stack.redis.stop(), start: () => stack.redis.start() },
      outageMs: OUTAGE_MS,
      beforeMs: 10_000,
      afterMs: 20_000,
      variants: mixedVariants('fetch-all'),
      allowed,
      hangMs: 5_000,
      // What a typical HTTP client waits before giving up (the clients: 15 s).
      clientTimeoutMs: 15_000,
      // Generous: jobs lost with a worker's connection come back once their lease runs out at worst.
      drainTimeoutMs: 240_000,
    });
  },
});
