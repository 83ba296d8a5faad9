import { CLOSE_AT, item, testPlan, testRun, threadReport } from '../testing/queue-run-builder';
import { judgeExactlyOnce } from './exactly-once';

const plan = testPlan({ producers: 2, consumers: 2 });

describe('exactly-once', () => {
  it('passes when every item is consumed once, however the consumers split and interleave them', () => {
    const run = testRun(plan, {
      taken: [
        [
          [1, 0],
          [0, 1],
          [1, 2],
        ],
        [
          [0, 0],
          [1, 1],
          [0, 2],
        ],
      ],
    });
    expect(judgeExactlyOnce(run)).toEqual({ passed: true, message: '6 items, each consumed once' });
  });

  it('counts lost and duplicated items and names one of each', () => {
    const run = testRun(plan, {
      taken: [
        [
          [0, 0],
          [0, 1],
          [1, 0],
        ],
        [
          [0, 1],
          [1, 1],
          [1, 2],
        ],
      ],
    });
    expect(judgeExactlyOnce(run)).toEqual({
      passed: false,
      message:
        `lost 1 of 6 items, consumed 1 item more than once; e.g. item ${item(plan, 0, 2)} (producer 1's item #3) was never consumed; ` +
        `item ${item(plan, 0, 1)} (producer 1's item #2) was consumed 2 times (by consumer 1, consumer 2)`,
    });
  });

  it('explains losses by close() when the newest items went missing and nothing was taken after close()', () => {
    const run = testRun(plan, {
      taken: [
        [
          [0, 0],
          [1, 0],
        ],
        [[1, 1]],
      ],
    });
    const verdict = judgeExactlyOnce(run);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toMatch(
      /^lost 3 of 6 items; e\.g\. item -?\d+ \(producer 1's item #2\) was never consumed\. /,
    );
    expect(verdict.message).toContain(
      'The lost items are the newest of their producers, still queued when close() was called, and no consumer got ' +
        'anything after close(): items queued before close() must stay available to get()',
    );
  });

  it('does not blame close() for items lost in the middle of a producer sequence', () => {
    const run = testRun(plan, {
      taken: [
        [
          [0, 0],
          [0, 2],
          [1, 0],
        ],
        [
          [1, 1],
          [1, 2],
        ],
      ],
    });
    expect(judgeExactlyOnce(run).message).not.toContain('close()');
  });

  it('explains losses by a consumer that returned while the queue was open', () => {
    const run = testRun(plan, {
      taken: [[[0, 0]], []],
      consumers: [
        { early: true, returnedAtMs: 101.4 },
        { early: true, returnedAtMs: 102 },
      ],
    });
    expect(judgeExactlyOnce(run).message).toContain(
      'Consumers 1 and 2 returned from consume() before close() was called (consumer 1 after 101 ms), while the queue ' +
        'was open: get() must keep waiting while the queue is empty and open',
    );
  });

  it('reports values that no producer put, and more items than a log holds', () => {
    const run = testRun(plan);
    run.consumers[0].items.push(item(plan, 1, 7));
    run.consumers[0].stored += 1;
    run.consumers[1].stored = 2; // two more stored than its empty log kept
    expect(judgeExactlyOnce(run).message).toBe(
      `handed out 3 values that no producer put; e.g. consumer 1 got ${item(plan, 1, 7)}, which no producer put`,
    );
  });

  it('does not expect the item whose put() threw when close() was called', () => {
    const full = testPlan({ kind: 'producers-wait-on-full', producers: 2, consumers: 1 });
    const run = testRun(full, {
      produced: [3, 2],
      taken: [
        [
          [0, 0],
          [0, 1],
          [1, 0],
        ],
      ],
    });
    expect(judgeExactlyOnce(run)).toEqual({ passed: true, message: '3 items, each consumed once' });
  });

  it('reports undefined handed to store()', () => {
    const run = testRun(plan, {
      consumers: [{ invalid: { count: 1, kind: 'undefined', afterItems: 6 } }],
    });
    expect(judgeExactlyOnce(run).message).toBe(
      'handed 1 value that is not an int32 item to store(); e.g. consumer 1 handed undefined to store() after 6 items: ' +
        'store() takes items only, never the undefined that ends the queue',
    );
  });

  it('fails with the constructor error when the queue could not be built', () => {
    const run = testRun(plan);
    run.producers[0].status = 'not-started';
    run.producers[0].report = threadReport(0, {
      end: { kind: 'threw', message: 'RangeError: invalid length', location: { line: 9, column: 5 } },
    });
    expect(judgeExactlyOnce(run)).toEqual({
      passed: false,
      message: 'new BoundedQueue(buffer, 4) failed in thread 1: RangeError: invalid length (line 9)',
    });
  });

  it('does not blame close() when a consumer still got items after it', () => {
    const run = testRun(plan, {
      taken: [[[0, 0]], []],
      consumers: [{ storedAtClose: 0 }],
      coordinator: { closeCalledAtMs: CLOSE_AT },
    });
    expect(judgeExactlyOnce(run).message).not.toContain('close()');
  });
});
