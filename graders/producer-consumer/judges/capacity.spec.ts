import { testPlan, testRun } from '../testing/queue-run-builder';
import { judgeCapacity } from './capacity';

const fullWait = testPlan({ kind: 'producers-wait-on-full', producers: 3, consumers: 1, capacity: 4 });

describe('capacity', () => {
  it('passes a full queue that stopped put() at exactly its capacity and says so with size()', () => {
    const run = testRun(fullWait, {
      coordinator: { putsReturnedAtHold: 4, size: { kind: 'value', value: 4 } },
    });
    expect(judgeCapacity(run)).toEqual({
      passed: true,
      message:
        'put() blocked once 4 items were queued; size() said 4; never more than 4 items queued; the most seen at once was at least 0',
    });
  });

  it('fails a queue that accepted more put() calls than its capacity with no consumer running', () => {
    const run = testRun(fullWait, {
      coordinator: { putsReturnedAtHold: 18, size: { kind: 'value', value: 18 } },
    });
    expect(judgeCapacity(run)).toEqual({
      passed: false,
      message:
        'with no consumer running, 3 producers completed 18 put() calls into a queue of capacity 4: put() must block while the queue is full',
    });
  });

  it('fails a queue that blocks before it is full', () => {
    const run = testRun(fullWait, {
      coordinator: { putsReturnedAtHold: 3, size: { kind: 'value', value: 3 } },
    });
    expect(judgeCapacity(run).message).toBe(
      'with no consumer running, 3 producers could complete only 3 put() calls into an empty queue of capacity 4 before ' +
        'they all blocked: put() must block only when the queue holds 4 items',
    );
  });

  it('fails a size() that disagrees with a quiet full queue, or throws', () => {
    const wrong = testRun(fullWait, {
      coordinator: { putsReturnedAtHold: 4, size: { kind: 'value', value: 0 } },
    });
    expect(judgeCapacity(wrong).message).toBe(
      'size() returned 0 while the queue held 4 items (every producer blocked on the full queue)',
    );
    const threw = testRun(fullWait, {
      coordinator: { putsReturnedAtHold: 4, size: { kind: 'threw', message: 'TypeError: boom' } },
    });
    expect(judgeCapacity(threw).message).toBe('size() threw TypeError: boom');
  });

  it('fails any run where producers saw more items put and not taken than the capacity', () => {
    const run = testRun(testPlan({ capacity: 8 }), {
      producers: [
        { excess: { items: 37, produced: 1024, stored: 980 } },
        { excess: { items: 5, produced: 9, stored: 1 } },
      ],
    });
    expect(judgeCapacity(run)).toEqual({
      passed: false,
      message:
        'the queue held more than its capacity 8: once, at least 37 items had been put and not yet taken (1,024 produced, 980 consumed)',
    });
  });

  it('passes a bound at the capacity itself', () => {
    const run = testRun(testPlan({ capacity: 8 }), {
      producers: [{ excess: { items: 8, produced: 20, stored: 8 } }],
    });
    expect(judgeCapacity(run)).toEqual({
      passed: true,
      message: 'never more than 8 items queued; the most seen at once was at least 8',
    });
  });
});
