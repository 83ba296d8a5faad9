/**
 * The schedule seed on the real sandbox (see __fixtures__/grading-job.ts): ties between I/O
 * completions follow the seed, everything Node orders keeps Node's order.
 */
import { gradingJob } from './__fixtures__/grading-job';
import type { ScenarioRequest } from './__fixtures__/run-scenarios';

/** Six fetches that all finish at 20 ms, two timers and two immediates: what order does the code see? */
const ARRIVALS = `
export async function run(fetch: (key: string) => Promise<string>) {
  const seen: string[] = [];
  const fetches = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => fetch(key).then((body) => seen.push(body)));
  setTimeout(() => seen.push('timer-1'), 20);
  setTimeout(() => seen.push('timer-2'), 20);
  setImmediate(() => seen.push('immediate-1'));
  setImmediate(() => seen.push('immediate-2'));
  await Promise.all(fetches);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return seen;
}`;

const SIX_TIED = { fetch: { kind: 'io' as const, latenciesMs: [20] } };

function arrivals(scheduleSeeds: (string | undefined)[]): string[][] {
  const scenarios: Partial<ScenarioRequest>[] = scheduleSeeds.map((scheduleSeed) => ({
    services: SIX_TIED,
    ...(scheduleSeed === undefined ? {} : { scheduleSeed }),
  }));
  return gradingJob(ARRIVALS, scenarios).map((outcome) => {
    if (!('evidence' in outcome) || outcome.evidence.result.kind !== 'resolved')
      throw new Error(JSON.stringify(outcome));
    return outcome.evidence.result.value as string[];
  });
}

describe('a seeded schedule on the virtual clock', () => {
  it('without a seed, fires completions due together in the order the calls were made (FIFO)', () => {
    expect(arrivals([undefined])[0]).toEqual([
      'immediate-1',
      'immediate-2',
      'fetch:a',
      'fetch:b',
      'fetch:c',
      'fetch:d',
      'fetch:e',
      'fetch:f',
      'timer-1',
      'timer-2',
    ]);
  });

  it('replays the same order for the same seed, evidence byte for byte', () => {
    const scenario = { services: SIX_TIED, scheduleSeed: '5f2c9a' };
    const [first, second] = gradingJob(ARRIVALS, [scenario, scenario]);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('orders tied completions differently under different seeds', () => {
    const orders = arrivals(['1', '2', '3', '4', '5', '6']).map((order) =>
      order.filter((name) => name.startsWith('fetch')).join(' '),
    );
    expect(new Set(orders).size).toBeGreaterThanOrEqual(5);
  });

  it('keeps what Node orders: timers of one delay from one turn, and immediates, in scheduling order', () => {
    for (const order of arrivals(['1', '2', '3', '4', '5', '6', '7', '8'])) {
      expect(order.slice(0, 2)).toEqual(['immediate-1', 'immediate-2']);
      expect(order.indexOf('timer-1')).toBeLessThan(order.indexOf('timer-2'));
      expect(order).toHaveLength(10);
    }
  });

  it('lets a timer due at the same instant as the completions land among them', () => {
    const positions = arrivals(['1', '2', '3', '4', '5', '6', '7', '8']).map((order) =>
      order.indexOf('timer-1'),
    );
    expect(new Set(positions).size).toBeGreaterThan(1);
  });
});

describe('a service outcome decided as the call settles', () => {
  it('sees the virtual time and the calls settled before it, in the order the schedule chose', () => {
    const code = `export function run(arrive: (key: string) => Promise<string>) {
      return Promise.all(['a', 'b', 'c', 'd'].map((key) => arrive(key)));
    }`;
    const services = { arrive: { kind: 'arrivals' as const, latenciesMs: [30, 10, 20, 10] } };
    const seeds = [undefined, '1', '2', '3', '4', '5', '6'];
    const values = gradingJob(
      code,
      seeds.map((scheduleSeed) => ({ services, ...(scheduleSeed ? { scheduleSeed } : {}) })),
    ).map((outcome) => {
      if (!('evidence' in outcome) || outcome.evidence.result.kind !== 'resolved')
        throw new Error(JSON.stringify(outcome));
      return outcome.evidence.result.value as string[];
    });
    expect(values[0]).toEqual(['3@30', '0@10', '2@20', '1@10']);
    // b and d both settle at 10 ms: which of them is first depends on the schedule.
    expect(new Set(values.map((value) => value[1]))).toEqual(new Set(['0@10', '1@10']));
    for (const value of values) expect([value[1], value[3]].sort()).toEqual(['0@10', '1@10']);
  });
});
