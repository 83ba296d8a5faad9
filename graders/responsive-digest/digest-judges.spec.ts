import type { DriverMark, DriverRunEvidence, OperationRecord, ServiceCallRecord } from '../grader-api';
import type { DigestCase } from './digest-cases';
import {
  judgeDigestOnce,
  judgeEmptyList,
  judgeResponsive,
  judgeResults,
  judgeTotalTime,
  type DigestRun,
} from './digest-judges';

const digestCase: DigestCase = { items: ['x', 'y', 'z', 'w'], digests: ['dx', 'dy', 'dz', 'dw'], costMs: 4 };

/** Digests of `order` one after another from 0 ms, a tick after each index in `ticksAfter`, resolving with `value`. */
function digestRun(options: {
  order?: string[];
  ticksAfter?: number[];
  value?: unknown;
  settledAtMs?: number | null;
  items?: DigestCase;
}): DigestRun {
  const order = options.order ?? digestCase.items;
  const calls: ServiceCallRecord[] = order.map((item, i) => ({
    service: 'digest',
    index: i,
    args: [item],
    startedAtMs: 4 * i,
    settledAtMs: 4 * i + 4,
    ok: true,
  }));
  const marks: DriverMark[] = (options.ticksAfter ?? []).map((after) => ({
    label: 'tick',
    atMs: 4 * after + 4,
    callsBefore: after + 1,
  }));
  const settledAtMs = options.settledAtMs === undefined ? 4 * order.length : options.settledAtMs;
  const operation: OperationRecord = {
    index: 0,
    label: 'digestAll(4 items)',
    startedAtMs: 0,
    settledAtMs,
    outcome:
      settledAtMs === null
        ? { kind: 'waiting' }
        : { kind: 'resolved', value: options.value ?? ['dx', 'dy', 'dz', 'dw'] },
  };
  const evidence: DriverRunEvidence = {
    end: settledAtMs === null ? 'deadlock' : 'completed',
    endedAtMs: 16,
    operations: [operation],
    waiting: settledAtMs === null ? [operation] : [],
    calls,
    unhandledRejections: [],
    marks,
    console: [],
  };
  return { digestCase: options.items ?? digestCase, evidence };
}

describe('judging responsiveness', () => {
  it('passes when at most two digests run between ticks, counting from the call to the end', () => {
    expect(judgeResponsive(digestRun({ ticksAfter: [1, 3] }), 2)).toEqual({
      passed: true,
      message: 'at most 2 digests between heartbeat ticks (2 ticks until digestAll resolved)',
    });
  });

  it('fails a run with no tick at all, saying no timer ever ran', () => {
    expect(judgeResponsive(digestRun({}), 2)).toMatchObject({
      passed: false,
      message: expect.stringMatching(
        /^all 4 digests ran one after another \(from 0 ms to 16 ms\) without the event loop running a single timer; at most 2/,
      ),
    });
  });

  it('names the longest stretch between two ticks, and counts the stretch after the last tick', () => {
    expect(judgeResponsive(digestRun({ ticksAfter: [0] }), 2)).toMatchObject({
      passed: false,
      message: expect.stringMatching(
        /^3 digests \(items 1 to 3\) ran between two heartbeat ticks \(from 4 ms to 16 ms\)/,
      ),
    });
  });
});

describe('judging results, calls and time', () => {
  it('wants every digest in input order, and recognises reversed results', () => {
    expect(judgeResults(digestRun({}))).toEqual({ passed: true });
    expect(judgeResults(digestRun({ value: ['dw', 'dz', 'dy', 'dx'] }))).toEqual({
      passed: false,
      message: 'result 0 should be digest("x") = "dx" but is "dw": the results are in reverse order',
    });
    expect(judgeResults(digestRun({ value: ['dx', 'dz', 'dy', 'dw'] }))).toMatchObject({
      message: 'result 1 should be digest("y") = "dy" but is "dz" (that digest is at position 2)',
    });
    expect(judgeResults(digestRun({ settledAtMs: null }))).toMatchObject({
      message: expect.stringMatching(/^digestAll never settled/),
    });
  });

  it('wants digest called once per item, never twice, never for anything else', () => {
    expect(judgeDigestOnce(digestRun({}))).toEqual({ passed: true });
    expect(judgeDigestOnce(digestRun({ order: ['x', 'x', 'y', 'z', 'w'] }))).toMatchObject({
      message:
        'digest("x") was called 2 times: digest is expensive, call it once per item and keep the result',
    });
    expect(judgeDigestOnce(digestRun({ order: ['x', 'y', 'z'] }))).toMatchObject({
      message: 'digest was never called for "w"',
    });
    expect(judgeDigestOnce(digestRun({ order: ['x', 'y', 'z', 'w', 'v'] }))).toMatchObject({
      message: 'digest was called with "v", which is not one of the items',
    });
  });

  it('allows twice the sequential time plus the slack, and no more', () => {
    expect(judgeTotalTime(digestRun({ settledAtMs: 52 }), 20)).toMatchObject({ passed: true });
    expect(judgeTotalTime(digestRun({ settledAtMs: 53 }), 20)).toEqual({
      passed: false,
      message:
        'took 53 ms of virtual time; 4 digests of 4 ms each take 16 ms one after another, so at most 52 ms is allowed: ' +
        'a yield should give the event loop one turn, not wait (setImmediate, or setTimeout with 0 ms)',
    });
  });

  it('wants [] for [] without a digest', () => {
    const empty = { items: [], digests: [], costMs: 4 };
    expect(judgeEmptyList(digestRun({ order: [], value: [], items: empty }))).toEqual({ passed: true });
    expect(judgeEmptyList(digestRun({ order: [], value: [''], items: empty }))).toMatchObject({
      message: 'digestAll([]) resolved with [""]; it should resolve to []',
    });
  });
});
