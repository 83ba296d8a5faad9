import { disturbanceMs, isDisturbed, median, medianRun } from './timed-runs';
import { fakeEvidence } from './testing/fake-main-runs';

describe('timed runs', () => {
  const run = (foreignMs: number, cores = 2) =>
    fakeEvidence({ wallMs: 300, workers: [{ cpuMs: 290 }, { cpuMs: 290 }], foreignMs, cores });

  it('counts what other processes used as disturbance when the grading has every core', () => {
    expect(disturbanceMs(run(45), 2)).toBe(45);
    expect(isDisturbed(run(45), 2, 0.1)).toBe(false);
    expect(isDisturbed(run(75), 2, 0.1)).toBe(true);
  });

  it('leaves the cores that are not the grading’s to the other jobs', () => {
    // 4 cores, 2 dedicated: the other 2 may be busy for the whole run (600 ms) without disturbing it.
    expect(disturbanceMs(run(600, 4), 2)).toBe(0);
    expect(disturbanceMs(run(700, 4), 2)).toBe(100);
    expect(isDisturbed(run(700, 4), 2, 0.1)).toBe(true);
  });

  it('does not call the ticks of an idle machine a disturbance', () => {
    expect(isDisturbed(fakeEvidence({ wallMs: 20, workers: [], foreignMs: 20 }), 2, 0.1)).toBe(false);
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(medianRun([{ v: 3 }, { v: 1 }, { v: 2 }, { v: 4 }], (item) => item.v)).toEqual({ v: 2 });
  });
});
