import { ScenarioServices, settledOutcome } from './scenario-services';

const request = { args: ['x'], index: 0, nowMs: 5 };

describe('ScenarioServices', () => {
  const services = new ScenarioServices({
    services: { fetch: () => ({ latencyMs: 10, outcome: { ok: true, value: 'body' } }) },
    cpuServices: { digest: ({ args }) => ({ value: `#${String(args[0])}`, costMs: 3 }) },
  });

  it('tells I/O services from CPU-bound ones and lists them in name order', () => {
    expect(services.kindOf('fetch')).toBe('io');
    expect(services.kindOf('digest')).toBe('cpu');
    expect(services.specs()).toEqual([
      { name: 'digest', kind: 'cpu' },
      { name: 'fetch', kind: 'io' },
    ]);
  });

  it("calls an unknown service name or a name used twice the grader's bug", () => {
    expect(() => services.kindOf('store')).toThrow("grader bug: the scenario passes unknown service 'store'");
    const noop = () => ({ latencyMs: 1, outcome: { ok: true as const, value: 1 } });
    expect(
      () =>
        new ScenarioServices({ services: { a: noop }, cpuServices: { a: () => ({ value: 1, costMs: 1 }) } }),
    ).toThrow("grader bug: service 'a' is both an I/O and a CPU-bound service");
  });

  it('plans calls and refuses a latency or a cost that is not a finite number >= 0', () => {
    expect(services.planIo('fetch', request).latencyMs).toBe(10);
    expect(services.planCpu('digest', request)).toEqual({ value: '#x', costMs: 3 });
    const bad = new ScenarioServices({
      services: { fetch: () => ({ latencyMs: -1, outcome: { ok: true, value: 1 } }) },
      cpuServices: { digest: () => ({ value: 1, costMs: Number.NaN }) },
    });
    expect(() => bad.planIo('fetch', request)).toThrow('latencyMs must be a finite number >= 0, got -1');
    expect(() => bad.planCpu('digest', request)).toThrow('costMs must be a finite number >= 0, got NaN');
    expect(() => services.planIo('digest', request)).toThrow('it is not an I/O service of this scenario');
  });
});

describe('settledOutcome', () => {
  it('takes a planned outcome as it is and decides a deferred one at the instant the call settles', () => {
    expect(settledOutcome({ ok: false, error: 'down' }, 9)).toEqual({ ok: false, error: 'down' });
    expect(settledOutcome(({ nowMs }) => ({ ok: true, value: nowMs }), 42)).toEqual({ ok: true, value: 42 });
  });

  it('refuses something that is not an outcome', () => {
    expect(() => settledOutcome((() => undefined) as never, 1)).toThrow('an outcome must be');
  });
});
