import type { ServiceCallRecord } from '../grader-api';
import { callsInFlightAt, peakInFlight } from './in-flight';

function call(index: number, startedAtMs: number, settledAtMs: number | null): ServiceCallRecord {
  return {
    service: 'fetchData',
    index,
    args: [`https://a.test/${index}`],
    startedAtMs,
    settledAtMs,
    ok: true,
  };
}

describe('in-flight accounting', () => {
  it('counts nothing for no calls', () => {
    expect(peakInFlight([])).toEqual({ count: 0, atMs: null, calls: [] });
  });

  it('finds the peak and the first time it was reached', () => {
    const calls = [call(0, 0, 300), call(1, 0, 100), call(2, 100, 250), call(3, 120, 400)];
    const peak = peakInFlight(calls);
    expect(peak.count).toBe(3);
    expect(peak.atMs).toBe(120);
    expect(peak.calls.map((c) => c.index)).toEqual([0, 2, 3]);
  });

  it('lets a slot freed at time t be refilled at t without counting both', () => {
    const calls = [call(0, 0, 200), call(1, 0, 120), call(2, 120, 300), call(3, 200, 350)];
    expect(peakInFlight(calls).count).toBe(2);
  });

  it('counts a start just before another settles as overlapping', () => {
    const calls = [call(0, 0, 200), call(1, 0, 120), call(2, 119, 300)];
    expect(peakInFlight(calls)).toMatchObject({ count: 3, atMs: 119 });
  });

  it('keeps a call the run never settled in flight until the end', () => {
    const calls = [call(0, 0, null), call(1, 0, 50), call(2, 500, 600), call(3, 550, 700)];
    expect(peakInFlight(calls)).toMatchObject({ count: 3, atMs: 550 });
  });

  it('never counts a call that settles the instant it starts', () => {
    expect(callsInFlightAt([call(0, 10, 10)], 10)).toEqual([]);
    expect(peakInFlight([call(0, 10, 10), call(1, 10, 20)]).count).toBe(1);
  });
});
