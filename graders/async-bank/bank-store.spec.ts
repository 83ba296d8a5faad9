import type { ServiceCallPlan, ServiceOutcome } from '../grader-api';
import { VirtualStore } from './bank-store';

function settle(plan: ServiceCallPlan, nowMs: number): ServiceOutcome {
  return typeof plan.outcome === 'function' ? plan.outcome({ nowMs }) : plan.outcome;
}

describe('the grader store', () => {
  it('answers a read and applies a write at the instant the call settles, and logs both', () => {
    const store = new VirtualStore({ a: 10 }, () => 4);
    const { read, write } = store.services();
    const reading = read({ args: ['a'], index: 0, nowMs: 0 });
    const writing = write({ args: ['a', 25], index: 0, nowMs: 1 });
    expect(reading.latencyMs).toBe(4);
    expect(settle(writing, 5)).toEqual({ ok: true, value: undefined });
    expect(settle(reading, 6)).toEqual({ ok: true, value: 25 });
    expect(store.log).toEqual([
      { kind: 'write', account: 'a', value: 25, calledAtMs: 1, atMs: 5 },
      { kind: 'read', account: 'a', value: 25, calledAtMs: 0, atMs: 6 },
    ]);
  });

  it('reads an account never written as 0', () => {
    const store = new VirtualStore({}, () => 1);
    expect(settle(store.services().read({ args: ['z'], index: 0, nowMs: 0 }), 1)).toEqual({
      ok: true,
      value: 0,
    });
    expect(store.balanceOf('z')).toBe(0);
  });

  it('rejects a call that does not name an account or writes something that is not a number', () => {
    const store = new VirtualStore({ a: 1 }, () => 1);
    const { read, write } = store.services();
    expect(settle(read({ args: [7], index: 0, nowMs: 0 }), 1)).toEqual({
      ok: false,
      error: 'read() takes an account name, got 7',
    });
    expect(settle(write({ args: ['a', '10050'], index: 0, nowMs: 0 }), 1)).toEqual({
      ok: false,
      error: 'write(a, "10050"): the balance must be a finite number',
    });
    expect(store.balanceOf('a')).toBe(1);
    expect(store.log).toEqual([]);
  });
});
