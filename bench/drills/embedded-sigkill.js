#!/usr/bin/env node
/**
 * Drill: the embedded default (no DATABASE_URL, no REDIS_URL: `node dist/src/main.js` with its own
 * LOCKSTEP_DATA_DIR and port) SIGKILLed in the middle of a burst of submissions, then started again
 * on the same folder. Every acknowledged row must be intact and graded once; keyed requests cut off
 * by the kill are sent again with their key after the restart. The killed process's PGlite socket
 * folder (/tmp/lockstep-db-*) must not be left behind. The database is read only while no server
 * holds it (PGlite belongs to one process), after a graceful stop at the end.
 *
 *   npm run build && node bench/drills/embedded-sigkill.js [--students 6] [--kill-after-acks 10]
 */
const { existsSync, rmSync } = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { performance } = require('node:perf_hooks');
const { checkHistory, FINISHED, reportHistory } = require('./lib/audit');
const { getSubmission } = require('./lib/client');
const { EmbeddedDatabase } = require('./lib/database');
const { runDrill } = require('./lib/drill');
const { Ledger } = require('./lib/ledger');
const { createStudents, lockstepEnv, requireBuild, startApi } = require('./lib/lockstep');
const { freePort } = require('./lib/ports');
const { unixSocketPaths } = require('./lib/proc');
const { seconds } = require('./lib/summary');
const { mixedVariants } = require('./lib/submissions');
const { shouldResend } = require('./lib/traffic');

const { values: options } = parseArgs({
  options: {
    students: { type: 'string', default: '6' },
    'kill-after-acks': { type: 'string', default: '10' },
  },
});
const PER_STUDENT = 5; // the default per-student limit: the whole burst is accepted
const KILL_AFTER_ACKS = Number(options['kill-after-acks']);

/** The folder of the embedded database's socket that `pid` serves (/tmp/lockstep-db-XXXXXX). */
function socketDirOf(pid) {
  const socket = unixSocketPaths(pid).find((socketPath) => socketPath.includes('lockstep-db-'));
  return socket ? path.dirname(socket) : null;
}

/** Every student sends its submissions one after another; `onAck` runs after each acknowledgment. */
async function burst(ledger, base, students, onAck) {
  const variants = mixedVariants('fetch-all');
  await Promise.all(
    students.map(async (student, s) => {
      for (let i = 0; i < PER_STUDENT; i++) {
        const variant = variants[(s * PER_STUDENT + i) % variants.length];
        const request = ledger.newRequest(student, variant, { keyed: i % 2 === 0 });
        const outcome = await ledger.send(base(), request, { timeoutMs: 15_000 });
        if (request.ackId) onAck();
        else if (outcome.kind === 'refused') return; // the server is down: this student stops here
      }
    }),
  );
}

runDrill({
  name: 'embedded-sigkill',
  timeoutS: 600,
  body: async (drill) => {
    requireBuild();
    const dataDir = path.join(drill.dir, 'data');
    const env = lockstepEnv({ LOCKSTEP_DATA_DIR: dataDir, LOCKSTEP_PORT: String(await freePort()) });
    const students = await createStudents(drill, env, { count: Number(options.students) });
    const database = new EmbeddedDatabase(dataDir);
    await database.installAudit();

    const first = await startApi(drill, env, { name: 'server-1', role: 'all' });
    const killedSocketDir = socketDirOf(first.pid);
    drill.defer('remove the killed server socket folder', () => {
      if (killedSocketDir) rmSync(killedSocketDir, { recursive: true, force: true });
    });
    drill.expect(killedSocketDir, `could not find the socket folder of server-1 (pid ${first.pid})`);
    const ledger = new Ledger();
    let killedAt = null;
    await burst(
      ledger,
      () => first.base,
      students,
      () => {
        if (ledger.acknowledged.length < KILL_AFTER_ACKS || killedAt) return;
        killedAt = performance.now();
        first.signal('SIGKILL');
        drill.log(`server-1 SIGKILLed after ${ledger.acknowledged.length} acknowledgments`);
      },
    );
    drill.expect(killedAt, `the burst ended before ${KILL_AFTER_ACKS} acknowledgments; nothing was killed`);
    await first.waitForExit(10_000);

    const second = await startApi(drill, env, { name: 'server-2', role: 'all' });
    drill.figure('restart', seconds(performance.now() - killedAt));
    const restartedAt = performance.now();
    const open = () =>
      ledger.requests.filter((r) => r.idempotencyKey && r.ackId === null && shouldResend(r.outcomes.at(-1)));
    await drill.waitFor(
      'every keyed request acknowledged after the restart',
      async () => {
        await Promise.all(open().map((request) => ledger.send(second.base, request, { timeoutMs: 15_000 })));
        return open().length === 0;
      },
      { timeoutMs: 120_000, intervalMs: 1000 },
    );
    await drill.waitFor(
      'every acknowledged submission graded (read through the API)',
      async () => {
        const views = await Promise.all(
          ledger.acknowledged.map((r) => getSubmission(second.base, r.student.token, r.ackId)),
        );
        return views.every((view) => view.kind === 'answer' && FINISHED.has(view.body?.status));
      },
      { timeoutMs: 240_000, intervalMs: 500 },
    );
    const recoveryMs = performance.now() - restartedAt;

    const secondSocketDir = socketDirOf(second.pid);
    const stopMs = await second.stop({ signal: 'SIGTERM', timeoutMs: 30_000 });
    drill.expect(stopMs !== null, 'server-2 did not stop within 30 s of SIGTERM');
    drill.expect(
      !secondSocketDir || !existsSync(secondSocketDir),
      `the gracefully stopped server left its socket folder ${secondSocketDir}`,
    );
    const leftover = killedSocketDir && existsSync(killedSocketDir);
    drill.figure(
      'socket folder of the killed server',
      leftover ? `left behind (${killedSocketDir})` : 'gone',
    );
    drill.expect(!leftover, `the SIGKILLed server left its socket folder ${killedSocketDir} behind`);

    const result = checkHistory(ledger, await database.snapshot());
    return { ...reportHistory(drill, result, { phantomsAllowed: 'unkeyed' }), recoveryMs };
  },
});
