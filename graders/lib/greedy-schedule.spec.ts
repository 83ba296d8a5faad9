import { completionOrder, fixedBatchesTotalMs, greedySchedule } from './greedy-schedule';

describe('the greedy schedule bound', () => {
  it('starts everything at once when the limit covers every url', () => {
    const schedule = greedySchedule([300, 100, 200], 5);
    expect(schedule.startMs).toEqual([0, 0, 0]);
    expect(schedule.totalMs).toBe(300);
    expect(schedule.slotFreedBy).toEqual([null, null, null]);
  });

  it('runs one after another with limit 1', () => {
    const schedule = greedySchedule([300, 100, 200], 1);
    expect(schedule.startMs).toEqual([0, 300, 400]);
    expect(schedule.totalMs).toBe(600);
    expect(schedule.slotFreedBy).toEqual([null, 0, 1]);
  });

  it('refills the first free slot at once, in input order', () => {
    // Slot A: url0 0-500. Slot B: url1 0-100, url2 100-200, url3 200-300, url4 300-400.
    const schedule = greedySchedule([500, 100, 100, 100, 100], 2);
    expect(schedule.startMs).toEqual([0, 0, 100, 200, 300]);
    expect(schedule.slotFreedBy).toEqual([null, null, 1, 2, 3]);
    expect(schedule.totalMs).toBe(500);
  });

  it('refills two slots freed at the same instant with the next two urls', () => {
    const schedule = greedySchedule([100, 100, 50, 70], 2);
    expect(schedule.startMs).toEqual([0, 0, 100, 100]);
    expect(schedule.slotFreedBy).toEqual([null, null, 0, 1]);
    expect(schedule.totalMs).toBe(170);
  });

  it('gives 0 for no urls and refuses a limit below 1', () => {
    expect(greedySchedule([], 3).totalMs).toBe(0);
    expect(() => greedySchedule([1], 0)).toThrow(/limit/);
  });

  it('is strictly faster than fixed batches when a slow url holds a batch back', () => {
    const latencies = [500, 100, 100, 100, 100];
    expect(fixedBatchesTotalMs(latencies, 2)).toBe(500 + 100 + 100);
    expect(greedySchedule(latencies, 2).totalMs).toBe(500);
  });

  it('orders completions by finish time, ties in input order', () => {
    expect(completionOrder([500, 100, 200, 100])).toEqual([1, 3, 2, 0]);
  });
});
