/**
 * A student's HTTP client, on node:http with one connection per request (no pooled socket can make a
 * restarted server look like a closed connection). Every request is bounded by `timeoutMs`, and its
 * outcome is a value, never an exception:
 *   { kind: 'answer', status, body, retryAfter }   the server answered
 *   { kind: 'timeout' }                            no answer within timeoutMs (the client gave up)
 *   { kind: 'closed' }                             the connection died before a full answer
 *   { kind: 'refused' }                            nobody listens (the server is down)
 * each with `ms`, the time from sending to the outcome, and `sentAt`/`endedAt` (performance.now()).
 */
const { Buffer } = require('node:buffer');
const http = require('node:http');
const { clearTimeout, setTimeout } = require('node:timers');
const { performance } = require('node:perf_hooks');

function request(method, url, { token, body, headers = {}, timeoutMs }) {
  const sentAt = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const endedAt = performance.now();
      resolve({ ...outcome, sentAt, endedAt, ms: endedAt - sentAt });
    };
    const req = http.request(url, {
      method,
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload === undefined
          ? {}
          : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        ...headers,
      },
    });
    const timer = setTimeout(() => {
      settle({ kind: 'timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('response', (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', () => settle({ kind: 'closed' }));
      response.on('aborted', () => settle({ kind: 'closed' }));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: kept as text, so a message in any form is seen
        }
        const retryAfter = response.headers['retry-after'];
        settle({
          kind: 'answer',
          status: response.statusCode,
          body: parsed,
          retryAfter: retryAfter === undefined ? null : Number(retryAfter),
        });
      });
    });
    req.on('error', (error) => {
      if (error.code === 'ECONNREFUSED') settle({ kind: 'refused', message: error.message });
      else settle({ kind: 'closed', message: `${error.code ?? ''} ${error.message}`.trim() });
    });
    req.end(payload);
  });
}

/** POST /api/submissions; `waitS` becomes ?wait=, `idempotencyKey` the Idempotency-Key header. */
function postSubmission(base, token, { exercise, code }, { idempotencyKey, waitS, timeoutMs }) {
  const query = waitS ? `?wait=${waitS}` : '';
  return request('POST', `${base}/submissions${query}`, {
    token,
    body: { exercise, code },
    headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {},
    timeoutMs,
  });
}

function getSubmission(base, token, id, { timeoutMs = 10_000 } = {}) {
  return request('GET', `${base}/submissions/${id}`, { token, timeoutMs });
}

/** A 2xx answer that carries the submission's id: the client knows its submission exists. */
function acknowledgedId(outcome) {
  if (outcome.kind !== 'answer' || outcome.status < 200 || outcome.status >= 300) return null;
  return typeof outcome.body?.id === 'string' ? outcome.body.id : null;
}

module.exports = { acknowledgedId, getSubmission, postSubmission, request };
