import type { ThreadRunEvidence } from '../grader-api';
import { othersShare } from './busy-machine';

const run = (host?: ThreadRunEvidence['host']): ThreadRunEvidence => ({
  status: 'completed',
  wallMs: 200,
  threads: [],
  lostWakeups: [],
  console: [],
  ...(host ? { host } : {}),
});

describe('othersShare', () => {
  it("is what other processes took of all the cores' time over the run, less two /proc/stat ticks", () => {
    // 1000 ms busy in all, 380 of it ours: others took 600 ms (after the slack) of 2 x 500 ms.
    expect(othersShare(run({ processCpuMs: 380, systemBusyMs: 1000, cores: 2, spanMs: 500 }))).toBeCloseTo(
      0.6,
    );
  });

  it('is 0 on a quiet machine, within the ticks /proc/stat counts in', () => {
    expect(othersShare(run({ processCpuMs: 400, systemBusyMs: 410, cores: 2, spanMs: 500 }))).toBe(0);
  });

  it('is 0 where the host could not tell', () => {
    expect(othersShare(run())).toBe(0);
    expect(othersShare(run({ processCpuMs: 0, systemBusyMs: 0, cores: 2, spanMs: 0 }))).toBe(0);
  });
});
