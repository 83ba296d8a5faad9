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

/** The claim of attempt `attempt` (1 = the first): status running with that many attempts. */
function waitForClaim(drill, database, id, attempt, timeoutMs) {
  return waitForRow(
    drill,
    database,
    id,
    `claimed for attempt ${attempt}`,
    (row) => FINISHED.has(row.status) || (row.status === 'running' && row.attempts >= attempt),
    timeoutMs,
  );
}

module.exports = { waitForClaim, waitForRow };
