import * as reference from '../../exercises/producer-consumer/solution';
import type { ControlledRunEvidence } from '../grader-api';
import { REAL_RUN_TOOLS } from '../lib/testing/real-run-tools';
import {
  allocateFlow,
  judgeControlledFlow,
  readLedger,
  type ControlledFlowPlan,
  type FlowLedger,
} from './controlled-flows';
import { controlledFlowThread } from './in-thread/controlled-flow-thread';

const plan: ControlledFlowPlan = {
  producers: 2,
  consumers: 1,
  capacity: 16,
  items: 5,
  runs: 1,
  queueBytes: 0,
};
plan.queueBytes = reference.BoundedQueue.byteLength(plan.capacity);

type Body = (
  exports: Record<string, unknown>,
  shared: unknown,
  thread: { index: number; threadId: number; count: number },
) => unknown;

/** The thread code run in this process, one thread after another (the queue is big enough not to block). */
function runInProcess(order: number[], exports: object = reference): FlowLedger {
  const shared = allocateFlow(plan);
  const body = controlledFlowThread(REAL_RUN_TOOLS) as unknown as Body;
  for (const index of order)
    body(exports as Record<string, unknown>, shared, { index, threadId: index + 1, count: 4 });
  return readLedger(plan, shared.ledger);
}

const run = (partial: Partial<ControlledRunEvidence> = {}): ControlledRunEvidence => ({
  run: 3,
  runs: 60,
  schedule: { strategy: 'random', seed: '0badc0de' },
  status: 'completed',
  steps: 100,
  threads: [0, 1, 2, 3].map((index) => ({
    index,
    threadId: index + 1,
    end: { kind: 'returned', value: undefined },
    steps: 10,
    waitingOn: null,
  })),
  trace: [],
  console: [],
  ...partial,
});

describe('producer-consumer controlled flows: thread code and ledger together', () => {
  it('logs what next() handed out and what the consumer got, and sets stop after the last item', () => {
    const ledger = runInProcess([0, 1, 3, 2]);
    const handed = [...ledger.produced[0], ...ledger.produced[1]];
    expect(handed).toHaveLength(5);
    expect(new Set(handed).size).toBe(5);
    expect(handed).toContain(0);
    expect(handed.some((item) => item < 0)).toBe(true);
    expect([...ledger.consumed[0]].sort()).toEqual([...handed].sort());
    expect(ledger.places).toEqual(['returned', 'returned', 'returned', 'returned']);
    expect(judgeControlledFlow(run(), plan, ledger)).toEqual({});
  });

  it('logs the item a producer takes after the stop was set, as a correct produce() may (a do-while loop)', () => {
    const doWhile = (queue: reference.BoundedQueue, stop: Int32Array, next: () => number) => {
      let count = 0;
      do {
        queue.put(next());
        count++;
      } while (Atomics.load(stop, 0) === 0);
      return count;
    };
    const ledger = runInProcess([0, 1, 3, 2], { ...reference, produce: doWhile });
    expect(ledger.produced.flat()).toHaveLength(6);
    expect(ledger.consumed[0]).toHaveLength(6);
    expect(judgeControlledFlow(run(), plan, ledger)).toEqual({});
  });
});

describe('producer-consumer controlled flows: judging a run', () => {
  const ledger = (consumed: number[]): FlowLedger => ({
    produced: [
      [0, -3, 4],
      [1, -4],
    ],
    consumed: [consumed],
    places: ['returned', 'returned', 'returned', 'returned'],
    threwIn: ['', '', '', ''],
  });
  const where =
    '2 producers, 1 consumer, capacity 16, 5 items, controlled run 3 of 60 (random, schedule 0badc0de)';

  it('fails exactly-once on an item consumed twice, one never consumed, or one nobody put', () => {
    // The duplicate also comes out of order: both checks get this run as their counterexample.
    expect(judgeControlledFlow(run(), plan, ledger([0, 1, -3, 1, 4, -4]))).toMatchObject({
      'fifo-per-producer': { passed: false },
      'exactly-once': {
        passed: false,
        message: `producer 2's item 1 (1) was consumed twice, both times by consumer 1 on ${where}`,
      },
    });
    expect(judgeControlledFlow(run(), plan, ledger([0, 1, -3, 4]))['exactly-once']?.message).toBe(
      `1 item put but never consumed, e.g. producer 2's item 2 (-4) on ${where}`,
    );
    expect(judgeControlledFlow(run(), plan, ledger([0, 1, 7, -3, 4, -4]))['exactly-once']?.message).toBe(
      `consumer 1 got 7, which no producer put on ${where}`,
    );
  });

  it('fails FIFO when one consumer gets a producer items out of order', () => {
    expect(judgeControlledFlow(run(), plan, ledger([-3, 0, 1, 4, -4]))).toEqual({
      'fifo-per-producer': {
        passed: false,
        message: `the consumer got producer 1's item 2 (-3) where its item 1 (0) was due on ${where}`,
      },
    });
  });

  it('fails shutdown-in-time on a proven deadlock, naming who sleeps where', () => {
    const deadlocked = run({
      status: 'deadlock',
      threads: run().threads.map((thread) =>
        thread.index === 2
          ? {
              ...thread,
              end: { kind: 'stopped' },
              waitingOn: { buffer: 'queue', index: 1, expected: 7, current: 7, timeoutMs: null },
            }
          : thread,
      ),
    });
    const stuck: FlowLedger = {
      ...ledger([0, 1, -3, 4, -4]),
      places: ['returned', 'returned', 'in consume()', 'returned'],
    };
    expect(judgeControlledFlow(deadlocked, plan, stuck)['shutdown-in-time']?.message).toBe(
      `deadlock after close() returned on ${where}: no thread could move: consumer 1 still in consume() sleeps on queue[1] until it is no longer 7 (it is 7). Last steps: `,
    );
  });
});
