#!/usr/bin/env node
/**
 * Drill: the per-student limit under concurrency (issue 10, finding 4). One student sends 20 POSTs at
 * the same moment with LOCKSTEP_MAX_QUEUED_PER_STUDENT=5 and no worker running, so nothing finishes in
 * between and the limit is exact: 5 must be accepted and 15 refused with 429 and Retry-After, and the
 * database must hold 5 rows for that student. Three students in turn, then a worker grades what was
 * accepted, each once.
 *
 *   npm run build && node bench/drills/student-limit.js [--students 3] [--burst 20] [--limit 5]
 */
const { parseArgs } = require('node:util');
const { checkHistory, reportHistory, waitForDrain } = require('./lib/audit');
const { runDrill } = require('./lib/drill');
const { describeOutcomes, Ledger } = require('./lib/ledger');
const { startSplitStack } = require('./lib/split-stack');
const { solution } = require('./lib/submissions');

const { values: options } = parseArgs({
  options: {
    students: { type: 'string', default: '3' },
    burst: { type: 'string', default: '20' },
    limit: { type: 'string', default: '5' },
  },
});
const STUDENTS = Number(options.students);
const BURST = Number(options.burst);
const LIMIT = Number(options.limit);

runDrill({
  name: 'student-limit',
  timeoutS: 300,
  body: async (drill) => {
    const stack = await startSplitStack(drill, {
      workers: 0,
      students: STUDENTS,
      settings: { LOCKSTEP_MAX_QUEUED_PER_STUDENT: String(LIMIT) },
    });
    const ledger = new Ledger();
    const accepted = [];
    for (const student of stack.students) {
      const requests = Array.from({ length: BURST }, () => ledger.newRequest(student, solution('fetch-all')));
      const outcomes = await Promise.all(
        requests.map((request) => ledger.send(stack.base, request, { timeoutMs: 30_000 })),
      );
      const ok = outcomes.filter((outcome) => outcome.kind === 'answer' && outcome.status === 202).length;
      const refused = outcomes.filter(
        (outcome) => outcome.kind === 'answer' && outcome.status === 429 && outcome.retryAfter > 0,
      ).length;
      accepted.push(ok);
      drill.log(`${student.email}: ${describeOutcomes(outcomes, 5_000).text}`);
      drill.expect(
        ok === LIMIT && refused === BURST - LIMIT,
        `${student.email}: ${ok} of ${BURST} simultaneous POSTs accepted and ${refused} refused with 429 + Retry-After (limit ${LIMIT}: expected ${LIMIT} and ${BURST - LIMIT})`,
      );
    }
    const rows = (await stack.database.snapshot()).rows;
    for (const student of stack.students) {
      const count = rows.filter((row) => row.email === student.email).length;
      drill.expect(
        count <= LIMIT,
        `${student.email} has ${count} unfinished rows in the database (limit ${LIMIT})`,
      );
    }
    drill.figure('accepted of each burst', `${accepted.join(', ')} (limit ${LIMIT})`);

    await stack.startWorker();
    const drain = await waitForDrain(drill, stack.database, ledger, { timeoutMs: 180_000 });
    return reportHistory(drill, checkHistory(ledger, drain.snapshot ?? (await stack.database.snapshot())));
  },
});
