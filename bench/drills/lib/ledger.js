/**
 * The clients' side of the history: every request a drill sent (its marker, its Idempotency-Key if
 * any) and every outcome it got. What the clients were told is later checked against what the
 * database holds (audit.js).
 */
const { randomBytes } = require('node:crypto');
const { acknowledgedId, postSubmission } = require('./client');
const { withMarker } = require('./submissions');

class Ledger {
  constructor() {
    // Markers unique across runs, so a row can never be mistaken for one of an earlier run.
    this.tag = randomBytes(4).toString('hex');
    this.requests = [];
  }

  /** A new submission by `student` ({ email, token }); `keyed`: sent with an Idempotency-Key. */
  newRequest(student, variant, { keyed = false } = {}) {
    const marker = `${this.tag}-${this.requests.length}`;
    const request = {
      marker,
      student,
      variant,
      code: withMarker(variant.code, marker),
      idempotencyKey: keyed ? `drill-${marker}` : null,
      outcomes: [],
      ackId: null,
      /** Ids other than ackId that answers for this same request named: one request, two rows. */
      otherIds: [],
    };
    this.requests.push(request);
    return request;
  }

  /** Sends (or re-sends, same key) `request` and records the outcome. */
  async send(base, request, { waitS, timeoutMs }) {
    const outcome = await postSubmission(
      base,
      request.student.token,
      { exercise: request.variant.exercise, code: request.code },
      { idempotencyKey: request.idempotencyKey, waitS, timeoutMs },
    );
    request.outcomes.push(outcome);
    const id = acknowledgedId(outcome);
    if (id && request.ackId === null) request.ackId = id;
    else if (id && id !== request.ackId && !request.otherIds.includes(id)) request.otherIds.push(id);
    return outcome;
  }

  get acknowledged() {
    return this.requests.filter((request) => request.ackId !== null);
  }

  get outcomes() {
    return this.requests.flatMap((request) => request.outcomes);
  }
}

/** How a POST ended, in the words the drills report it. */
function outcomeClass(outcome) {
  if (outcome.kind !== 'answer') return outcome.kind;
  const { status } = outcome;
  if (status >= 200 && status < 300) return `${status}`;
  if (status === 429 || status === 503) return outcome.retryAfter > 0 ? `${status}+retry-after` : `${status}`;
  return `${status}`;
}

/**
 * Counts of outcome classes ("202 x40, 503+retry-after x3, timeout x5"), and the slowest answer.
 * `hangMs`: anything slower, and every timeout, is a hang.
 */
function describeOutcomes(outcomes, hangMs) {
  const counts = new Map();
  for (const outcome of outcomes) {
    const name = outcomeClass(outcome);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const slowest = outcomes.reduce((max, outcome) => Math.max(max, outcome.ms), 0);
  const hangs = outcomes.filter((outcome) => outcome.kind === 'timeout' || outcome.ms > hangMs).length;
  const text = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} x${n}`)
    .join(', ');
  return { text, slowestMs: slowest, hangs };
}

module.exports = { describeOutcomes, Ledger, outcomeClass };
