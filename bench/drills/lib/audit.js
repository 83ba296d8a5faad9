/**
 * The checker: the clients' history (Ledger) against the database (a snapshot of every submission row
 * and the audit trigger's finishing writes). Definitions, as docs/reliability.md states them:
 *   acknowledged  a 2xx answer named the submission's id
 *   lost          acknowledged, but no row has that id, or the row never finished (graded/error)
 *   duplicated    one request with two rows (markers counted), two different ids for one request, or
 *                 a row finished by more than one write (the audit trigger's count)
 *   phantom       a row whose request no client was ever told the id of
 *   wrong verdict a reference solution that did not pass, a known-bad variant that did not fail
 */
const { performance } = require('node:perf_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const { markerOf } = require('./submissions');

const FINISHED = new Set(['graded', 'error']);

function checkHistory(ledger, snapshot) {
  const rowsByMarker = new Map();
  const strangers = [];
  for (const row of snapshot.rows) {
    const marker = markerOf(row.code);
    if (marker === null || !marker.startsWith(`${ledger.tag}-`)) strangers.push(row.id);
    else rowsByMarker.set(marker, [...(rowsByMarker.get(marker) ?? []), row]);
  }
  const result = {
    submitted: ledger.requests.length,
    acknowledged: 0,
    graded: 0,
    errored: [],
    lost: [],
    duplicated: [],
    phantoms: [],
    wrongVerdicts: [],
    strangers,
  };
  for (const request of ledger.requests) {
    const rows = rowsByMarker.get(request.marker) ?? [];
    if (rows.length > 1) result.duplicated.push(`${request.marker}: ${rows.length} rows`);
    if (request.otherIds.length) result.duplicated.push(`${request.marker}: answered with two ids`);
    if (request.ackId === null) {
      for (const row of rows) result.phantoms.push({ id: row.id, keyed: request.idempotencyKey !== null });
      continue;
    }
    result.acknowledged++;
    const row = rows.find((candidate) => candidate.id === request.ackId);
    if (!row) {
      result.lost.push(`${request.ackId}: acknowledged, no such row`);
      continue;
    }
    if (!FINISHED.has(row.status)) {
      result.lost.push(`${row.id}: still ${row.status} (attempts ${row.attempts})`);
      continue;
    }
    if (row.status === 'error') result.errored.push(`${row.id}: ${row.errorMessage}`);
    else result.graded++;
    const expected = request.variant.expect;
    if (expected && row.status === 'graded' && row.verdict !== expected)
      result.wrongVerdicts.push(`${request.variant.name}: ${row.verdict}, expected ${expected}`);
  }
  for (const row of snapshot.rows) {
    const writes = snapshot.finishWrites.get(row.id) ?? 0;
    if (writes > 1) result.duplicated.push(`${row.id}: finished by ${writes} writes (graded more than once)`);
    if (FINISHED.has(row.status) && writes === 0)
      result.duplicated.push(`${row.id}: finished without an audited write (audit trigger missing?)`);
  }
  return result;
}

/**
 * Records every finding of `checkHistory` as a failure of the drill, and returns the summary counts.
 * `phantomsAllowed: 'unkeyed'`: for a fault where a phantom is inherent (a server killed between the
 * commit and the answer cannot tell a client without an Idempotency-Key anything), only keyed
 * phantoms fail the drill.
 */
function reportHistory(drill, result, { phantomsAllowed = false } = {}) {
  const list = (items) => items.slice(0, 5).join(', ') + (items.length > 5 ? `, ... (${items.length})` : '');
  if (result.lost.length)
    drill.fail(`${result.lost.length} acknowledged submission(s) lost: ${list(result.lost)}`);
  if (result.duplicated.length) drill.fail(`duplicates: ${list(result.duplicated)}`);
  if (result.wrongVerdicts.length)
    drill.fail(`${result.wrongVerdicts.length} wrong verdict(s): ${list(result.wrongVerdicts)}`);
  if (result.errored.length)
    drill.fail(`${result.errored.length} submission(s) ended in status error: ${list(result.errored)}`);
  if (result.strangers.length) drill.fail(`${result.strangers.length} row(s) no drill request sent`);
  const keyed = result.phantoms.filter((phantom) => phantom.keyed).length;
  const unkeyed = result.phantoms.length - keyed;
  drill.figure('phantom rows', `${result.phantoms.length} (${unkeyed} without Idempotency-Key)`);
  const failing = result.phantoms.filter(
    (phantom) => !phantomsAllowed || (phantomsAllowed === 'unkeyed' && phantom.keyed),
  );
  if (failing.length)
    drill.fail(
      `${failing.length} row(s) committed for requests whose client was never told the id ` +
        `(${failing.filter((phantom) => !phantom.keyed).length} without Idempotency-Key): ${list(failing.map((phantom) => phantom.id))}`,
    );
  return {
    submitted: result.submitted,
    acknowledged: result.acknowledged,
    graded: result.graded,
    lost: result.lost.length,
    duplicated: result.duplicated.length,
  };
}

/**
 * Waits until every acknowledged submission, and every other row, is graded or error, at most
 * `timeoutMs`. Returns { drained, snapshot, lastFinishedAt } (lastFinishedAt: the database's
 * graded_at of the last one, a wall-clock Date), never throws for a slow drain: the caller reports it.
 */
async function waitForDrain(drill, database, ledger, { timeoutMs, intervalMs = 500 }) {
  const deadline = performance.now() + timeoutMs;
  let open = '?';
  for (;;) {
    try {
      const rows = await database.progress();
      const ids = new Set(rows.map((row) => row.id));
      const missing = ledger.acknowledged.filter((request) => !ids.has(request.ackId)).length;
      open = rows.filter((row) => !FINISHED.has(row.status)).length;
      if (missing === 0 && open === 0) {
        const lastFinishedAt = rows.reduce(
          (last, row) => (row.gradedAt && row.gradedAt > last ? row.gradedAt : last),
          new Date(0),
        );
        return { drained: true, snapshot: await database.snapshot(), lastFinishedAt };
      }
    } catch (error) {
      drill.log(`database not readable yet (${error.message})`);
    }
    if (performance.now() > deadline) {
      drill.fail(`hang: ${open} submission(s) not graded within ${(timeoutMs / 1000).toFixed(0)} s`);
      return { drained: false, snapshot: await database.snapshot().catch(() => null), lastFinishedAt: null };
    }
    await sleep(intervalMs);
  }
}

module.exports = { checkHistory, FINISHED, reportHistory, waitForDrain };
