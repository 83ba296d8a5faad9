/**
 * Waiting for the moment a fault should land: a given submission's row in a given state, read from the
 * database (the state a worker writes when it claims the submission). Bounded like every drill wait.
 */
const { FINISHED } = require('./audit');

/** Resolves with the row once `predicate(row)` holds for the submission `id`. */
function waitForRow(drill, database, id, what, predicate, timeoutMs) {
  return drill.waitFor(
    `submission ${id} ${what}`,
    async () => {
      const row = (await database.progress()).find((candidate) => candidate.id === id);
      return row && predicate(row) ? row : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/**
 * A claim by a worker: the row running with a started_at later than `after` (the started_at of the
 * claim before, or null for the first). Not the attempts count: a fix may rightly leave it alone
 * for a job handed back at shutdown. Resolves with the row, or with the row once it is finished.
 */
function waitForClaim(drill, database, id, { after = null, timeoutMs }) {
  return waitForRow(
    drill,
    database,
    id,
    after ? `claimed again after ${after.toISOString()}` : 'claimed',
    (row) => FINISHED.has(row.status) || (row.status === 'running' && (!after || row.startedAt > after)),
    timeoutMs,
  );
}

module.exports = { waitForClaim, waitForRow };
