/**
 * Students submitting steadily while a drill breaks something: each student sends a submission,
 * waits for the outcome (bounded), pauses, and sends the next. Every `keyedEvery`-th request carries
 * an Idempotency-Key and is re-sent with the same key until acknowledged, as a careful client does;
 * a request without a key is never re-sent (its client cannot know whether it was saved).
 */
const { setTimeout: sleep } = require('node:timers/promises');
const { acknowledgedId } = require('./client');

const PAUSE_MS = 500;
const PAUSE_AFTER_REFUSAL_MS = 2000;

/** Whether a keyed request may be re-sent: not acknowledged, and not refused for good (400, 422...). */
function shouldResend(outcome) {
  if (acknowledgedId(outcome)) return false;
  if (outcome.kind !== 'answer') return true;
  return outcome.status === 429 || outcome.status >= 500;
}

class StudentTraffic {
  constructor(ledger, { base, students, variants, keyedEvery = 2, timeoutMs, waitS = 0 }) {
    Object.assign(this, { ledger, base, students, variants, keyedEvery, timeoutMs, waitS });
    this.stopping = false;
    this.loops = [];
    this.sent = 0;
  }

  start() {
    this.loops = this.students.map((student) => this.studentLoop(student));
  }

  /** Lets every request in flight end (each is bounded by timeoutMs), then stops. */
  async stop() {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  /**
   * After the fault: re-sends every keyed request still unacknowledged until it is, or `timeoutMs`
   * passes. Returns how many stayed unacknowledged.
   */
  async settleKeyed(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let open = this.openKeyed();
    while (open.length && Date.now() < deadline) {
      await Promise.all(
        open.map((request) => this.ledger.send(this.base(), request, { timeoutMs: this.timeoutMs })),
      );
      open = this.openKeyed();
      if (open.length) await sleep(PAUSE_AFTER_REFUSAL_MS);
    }
    return open.length;
  }

  openKeyed() {
    return this.ledger.requests.filter(
      (request) => request.idempotencyKey && request.ackId === null && shouldResend(request.outcomes.at(-1)),
    );
  }

  async studentLoop(student) {
    let resend = null;
    while (!this.stopping) {
      const request =
        resend ??
        this.ledger.newRequest(student, this.variants[this.sent % this.variants.length], {
          keyed: this.sent % this.keyedEvery === 0,
        });
      if (request !== resend) this.sent++;
      const outcome = await this.ledger.send(this.base(), request, {
        timeoutMs: this.timeoutMs,
        waitS: this.waitS,
      });
      resend = request.idempotencyKey && shouldResend(outcome) ? request : null;
      await sleep(acknowledgedId(outcome) ? PAUSE_MS : PAUSE_AFTER_REFUSAL_MS);
    }
  }
}

module.exports = { shouldResend, StudentTraffic };
