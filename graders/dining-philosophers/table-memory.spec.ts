import type { ThreadCode } from '../grader-api';
import { REAL_RUN_TOOLS } from '../lib/testing/real-run-tools';
import { runThreadCodeInWorkers } from '../lib/testing/thread-code-in-workers';
import { tableThreadCode } from './in-thread/table-thread-code';
import { allocateTable, readTable, type TableMemory } from './table-memory';
import type { TablePauses } from './table-plan';

/**
 * The thread code repeats the memory layout of table-memory.ts (it cannot import it). These specs
 * run it outside the sandbox with stand-in philosophers and read the result back with the host's
 * reader: both sides must agree on every cell.
 */
type Forks = { acquire(fork: number): void; release(fork: number): void };
type Philosopher = (
  seat: number,
  seats: number,
  forks: Forks,
  meals: number,
  eat: () => void,
  think: () => void,
) => void;
type Body = (
  exports: Record<string, unknown>,
  shared: unknown,
  thread: { index: number; threadId: number; count: number },
) => unknown;

const bodyOf = (code: ThreadCode) => code(REAL_RUN_TOOLS) as unknown as Body;
const noPauses: TablePauses = {
  firstGrab: { minMs: 0, maxMs: 0 },
  acquire: { minMs: 0, maxMs: 0 },
  eat: { minMs: 0, maxMs: 0 },
  think: { minMs: 0, maxMs: 0 },
};

function table(
  seats: number,
  meals: number,
  pauses = noPauses,
): { memory: TableMemory; shared: Record<string, unknown> } {
  const memory = allocateTable(seats);
  const seeds = Array.from({ length: seats }, (_, seat) => 1000 + seat);
  return { memory, shared: { plan: { seats, meals, pauses, seeds }, ...memory } };
}

const lowerForkFirst: Philosopher = (seat, seats, forks, meals, eat, think) => {
  const first = Math.min(seat, (seat + 1) % seats);
  const second = Math.max(seat, (seat + 1) % seats);
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    forks.acquire(first);
    forks.acquire(second);
    eat();
    forks.release(second);
    forks.release(first);
  }
};

function sitAlone(shared: Record<string, unknown>, seat: number, philosopher: Philosopher): void {
  bodyOf(tableThreadCode)({ philosopher }, shared, { index: seat, threadId: seat + 1, count: 1 });
}

describe('dining-philosophers memory layout, thread code and host reader together', () => {
  it('records every meal with both forks held, and leaves the forks free, seat after seat', () => {
    const { memory, shared } = table(3, 4);
    for (const seat of [0, 1, 2]) sitAlone(shared, seat, lowerForkFirst);
    const reading = readTable(memory, 3);
    expect(reading.forkOwners).toEqual([null, null, null]);
    expect(reading.philosophers.map((p) => [p.meals, p.mealsWithoutForks, p.acquires, p.place])).toEqual([
      [4, 0, 8, 'returned'],
      [4, 0, 8, 'returned'],
      [4, 0, 8, 'returned'],
    ]);
  });

  it('records a meal eaten with one fork, and who held each of the two forks then', () => {
    const { memory, shared } = table(2, 1);
    sitAlone(shared, 1, (seat, _seats, forks, _meals, eat) => {
      forks.acquire(seat);
      eat();
    });
    expect(readTable(memory, 2)).toMatchObject({
      forkOwners: [null, 1],
      philosophers: [
        { meals: 0 },
        { meals: 1, mealsWithoutForks: 1, firstBadMeal: { meal: 1, leftOwner: 1, rightOwner: null } },
      ],
    });
  });

  it('throws an Error on a release() of a fork the caller does not hold, and records it', () => {
    const { memory, shared } = table(2, 1);
    expect(() => sitAlone(shared, 0, (_seat, _seats, forks) => forks.release(1))).toThrow(
      'release(1): philosopher 0 does not hold fork 1 (nobody holds it)',
    );
    expect(readTable(memory, 2).philosophers[0]).toMatchObject({
      badReleases: 1,
      firstBadRelease: { fork: 1, owner: null },
      place: 'releasing',
    });
  });

  it('throws a RangeError for a fork that does not exist, and records the number given', () => {
    const { memory, shared } = table(5, 1);
    expect(() => sitAlone(shared, 4, (_seat, seats, forks) => forks.acquire(seats))).toThrow(
      new RangeError('acquire(5): there is no such fork; the forks are numbered 0 to 4'),
    );
    expect(() =>
      sitAlone(shared, 3, (_seat, _seats, forks) => forks.release('1' as unknown as number)),
    ).toThrow('release(a string): there is no such fork');
    const [, , , three, four] = readTable(memory, 5).philosophers;
    expect([four.badForkNumbers, four.firstBadForkNumber]).toEqual([1, 5]);
    expect([three.badForkNumbers, three.firstBadForkNumber]).toEqual([1, null]);
  });

  it('says plainly that the file exports no philosopher function', () => {
    const { shared } = table(2, 1);
    expect(() => bodyOf(tableThreadCode)({}, shared, { index: 0, threadId: 1, count: 2 })).toThrow(
      'the file does not export a function named philosopher',
    );
  });

  it('lets five real threads eat their meals when each takes the lower fork first', async () => {
    const { memory, shared } = table(5, 20, { ...noPauses, eat: { minMs: 0, maxMs: 1 } });
    const ends = await runThreadCodeInWorkers(
      tableThreadCode,
      `const submission = { philosopher: ${lowerForkFirst.toString()} };`,
      shared,
      5,
    );
    expect(ends).toEqual(Array.from({ length: 5 }, () => ({ kind: 'returned' })));
    const reading = readTable(memory, 5);
    expect(reading.forkOwners.every((owner) => owner === null)).toBe(true);
    expect(reading.philosophers.map((p) => p.meals)).toEqual([20, 20, 20, 20, 20]);
  });

  it('closes the circle of left-then-right for everyone, with the long first pause, and records who waits for what', async () => {
    const leftThenRight: Philosopher = (seat, seats, forks, meals, eat) => {
      for (let meal = 0; meal < meals; meal++) {
        forks.acquire(seat);
        forks.acquire((seat + 1) % seats);
        eat();
        forks.release((seat + 1) % seats);
        forks.release(seat);
      }
    };
    const { memory, shared } = table(5, 3, { ...noPauses, firstGrab: { minMs: 100, maxMs: 100 } });
    const ends = await runThreadCodeInWorkers(
      tableThreadCode,
      `const submission = { philosopher: ${leftThenRight.toString()} };`,
      shared,
      5,
      600,
    );
    expect(ends.map((end) => end.kind)).toEqual(['stopped', 'stopped', 'stopped', 'stopped', 'stopped']);
    const reading = readTable(memory, 5);
    expect(reading.forkOwners).toEqual([0, 1, 2, 3, 4]);
    expect(reading.philosophers.map((p) => [p.waitingFor, p.place])).toEqual([
      [1, 'acquiring'],
      [2, 'acquiring'],
      [3, 'acquiring'],
      [4, 'acquiring'],
      [0, 'acquiring'],
    ]);
  });
});
