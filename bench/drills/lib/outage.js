/**
 * The shape of the outage drills (Redis, Postgres): students submit steadily; a service goes away for
 * a while and comes back; then every answer is checked (fast, and of a kind the drill allows), every
 * row (nothing lost, nothing duplicated, nothing committed that the client was not told about), and
 * that everything acknowledged is graded once after the service returns. Recovery: from the restart
 * until the service is whole again: a POST sent after it is acknowledged, and every submission that
 * was acknowledged before it is graded (the later of the two).
 */
const { performance } = require('node:perf_hooks');
const { checkHistory, reportHistory, waitForDrain } = require('./audit');
const { acknowledgedId } = require('./client');
const { sleep } = require('./drill');
const { describeOutcomes, Ledger, outcomeClass } = require('./ledger');
const { seconds } = require('./summary');
const { StudentTraffic } = require('./traffic');

/**
 * `service`: { name, stop(), start() }. `allowed(outcome)`: whether an answer is one of the kinds the
 * drill accepts (a hang or a closed connection never is). Times in ms.
 */
async function runOutage(drill, stack, options) {
  const { service, outageMs, beforeMs, afterMs, variants, allowed, hangMs, clientTimeoutMs, drainTimeoutMs } =
    options;
  const ledger = new Ledger();
  const traffic = new StudentTraffic(ledger, {
    base: () => stack.base,
    students: stack.students,
    variants,
    timeoutMs: clientTimeoutMs,
  });
  traffic.start();
  await sleep(beforeMs);

  const apiLinesBefore = stack.api.lines;
  const outageStart = performance.now();
  await service.stop();
  drill.log(
    `${service.name} stopped for ${outageMs / 1000} s while ${stack.students.length} students submit`,
  );
  await sleep(outageMs);
  await service.start();
  const outageEnd = performance.now();
  const restartedAt = new Date();
  drill.log(`${service.name} is back`);
  drill.figure('API log lines during the outage', stack.api.lines - apiLinesBefore);
  await sleep(afterMs);
  await traffic.stop();
  const unsettled = await traffic.settleKeyed(60_000);
  drill.expect(unsettled === 0, `${unsettled} keyed request(s) still unacknowledged 60 s after the outage`);

  checkAnswers(drill, ledger.outcomes, { outageStart, outageEnd, allowed, hangMs });
  for (const process of [stack.api, ...stack.workers])
    drill.expect(process.alive, `${process.name} exited during the drill (see ${process.logFile})`);

  const firstAck = ledger.outcomes
    .filter((outcome) => outcome.sentAt >= outageEnd && acknowledgedId(outcome))
    .sort((a, b) => a.endedAt - b.endedAt)[0];
  drill.figure('first 2xx after the restart', seconds(firstAck ? firstAck.endedAt - outageEnd : null));
  const failedAfter = ledger.outcomes.filter((o) => o.sentAt >= outageEnd && !acknowledgedId(o));
  drill.figure(
    'POSTs after the restart not accepted',
    failedAfter.length
      ? `${describeOutcomes(failedAfter, hangMs).text}, the last sent ${seconds(Math.max(...failedAfter.map((o) => o.sentAt)) - outageEnd)} after it`
      : '0',
  );

  const drain = await waitForDrain(drill, stack.database, ledger, { timeoutMs: drainTimeoutMs });
  const snapshot = drain.snapshot ?? (await stack.database.snapshot());
  const counts = reportHistory(drill, checkHistory(ledger, snapshot));
  const waitingAtRestart = new Set(
    ledger.acknowledged
      .filter((request) => request.outcomes.find(acknowledgedId).endedAt < outageEnd)
      .map((request) => request.ackId),
  );
  const lastReport = snapshot.rows
    .filter((row) => waitingAtRestart.has(row.id) && row.gradedAt && row.gradedAt > restartedAt)
    .reduce((last, row) => Math.max(last, row.gradedAt.getTime()), restartedAt.getTime());
  // Whole again: it takes new submissions, and what was waiting at the restart is graded.
  const caughtUpMs = lastReport - restartedAt.getTime();
  const recoveryMs = drain.drained && firstAck ? Math.max(firstAck.endedAt - outageEnd, caughtUpMs) : null;
  return { ...counts, recoveryMs };
}

/** Every POST must end fast and in an allowed way; the outage's answers are printed by kind. */
function checkAnswers(drill, outcomes, { outageStart, outageEnd, allowed, hangMs }) {
  const during = outcomes.filter((outcome) => outcome.sentAt >= outageStart && outcome.sentAt <= outageEnd);
  const duringText = describeOutcomes(during, hangMs);
  drill.figure('POSTs during the outage', duringText.text || 'none');
  drill.figure('slowest POST', seconds(describeOutcomes(outcomes, hangMs).slowestMs));
  const hangs = outcomes.filter((outcome) => outcome.kind === 'timeout' || outcome.ms > hangMs);
  if (hangs.length)
    drill.fail(
      `${hangs.length} POST(s) hung: no answer within ${hangMs / 1000} s (${describeOutcomes(hangs, hangMs).text}; ` +
        `slowest ${seconds(Math.max(...hangs.map((outcome) => outcome.ms)))})`,
    );
  const refused = outcomes.filter((outcome) => !hangs.includes(outcome) && !allowed(outcome));
  if (refused.length) {
    const examples = [...new Set(refused.map((outcome) => `${outcomeClass(outcome)} ${messageOf(outcome)}`))];
    drill.fail(
      `${refused.length} POST(s) answered in a way not allowed: ${examples.slice(0, 4).join(' | ')}`,
    );
  }
  const messages = new Set(
    outcomes.filter((o) => o.kind === 'answer' && o.status >= 500).map((o) => `${o.status} ${messageOf(o)}`),
  );
  if (messages.size) drill.log(`5xx answers: ${[...messages].join(' | ')}`);
}

function messageOf(outcome) {
  const message = outcome.body?.message ?? (typeof outcome.body === 'string' ? outcome.body : '');
  return String(message).slice(0, 160);
}

module.exports = { messageOf, runOutage };
