import { item, testPlan, testRun } from '../testing/queue-run-builder';
import { judgeFifoPerProducer } from './fifo-per-producer';

const plan = testPlan({ producers: 2, consumers: 1 });

describe('fifo-per-producer', () => {
  it('is judged only with one consumer', () => {
    expect(judgeFifoPerProducer(testRun(testPlan({ consumers: 2 })))).toBeNull();
  });

  it("passes producers' items interleaved in any way, each producer's in order", () => {
    const run = testRun(plan, {
      taken: [
        [
          [1, 0],
          [0, 0],
          [0, 1],
          [1, 1],
          [1, 2],
          [0, 2],
        ],
      ],
    });
    expect(judgeFifoPerProducer(run)).toEqual({
      passed: true,
      message: "6 items from 2 producers, each producer's in order",
    });
  });

  it('names the two items that came out of order and where', () => {
    const run = testRun(plan, {
      taken: [
        [
          [0, 0],
          [1, 1],
          [0, 1],
          [1, 0],
        ],
      ],
    });
    expect(judgeFifoPerProducer(run)).toEqual({
      passed: false,
      message:
        `producer 2's items came out of order: the consumer got item ${item(plan, 1, 0)} (producer 2's item #1) (position 4) ` +
        `after item ${item(plan, 1, 1)} (producer 2's item #2) (position 2); a queue hands out the oldest item first`,
    });
  });

  it('leaves duplicates and strangers to exactly-once', () => {
    const run = testRun(plan, {
      taken: [
        [
          [0, 0],
          [0, 1],
          [0, 0],
          [1, 9],
          [0, 2],
        ],
      ],
    });
    expect(judgeFifoPerProducer(run)?.passed).toBe(true);
  });
});
