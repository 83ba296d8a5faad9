import { VirtualClockRecords } from './virtual-clock-records';

describe('VirtualClockRecords', () => {
  let nowMs = 0;
  const records = () => new VirtualClockRecords(() => nowMs);
  beforeEach(() => {
    nowMs = 0;
  });

  it('records each call with its start and settle times, CPU-bound calls settling after their cost', () => {
    const log = records();
    const first = log.startCall('fetch', log.nextCallIndex('fetch'), ['a']);
    nowMs = 4;
    log.recordCpuCall('digest', log.nextCallIndex('digest'), ['x'], 3);
    log.startCall('fetch', log.nextCallIndex('fetch'), ['b']);
    expect(log.unsettledCalls).toBe(2);
    nowMs = 10;
    log.settleCall(first, true);
    expect(log.unsettledCalls).toBe(1);
    expect(log.calls).toEqual([
      { service: 'fetch', index: 0, args: ['a'], startedAtMs: 0, settledAtMs: 10, ok: true },
      { service: 'digest', index: 0, args: ['x'], startedAtMs: 4, settledAtMs: 7, ok: true },
      { service: 'fetch', index: 1, args: ['b'], startedAtMs: 4, settledAtMs: null, ok: false },
    ]);
  });

  it('counts a rejection unhandled only if no handler came before the macrotask ended', () => {
    const log = records();
    const handledLate = log.track(log.startCall('fetch', 0, ['a']));
    const neverHandled = log.track(log.startCall('fetch', 1, ['b']));
    log.noteRejected(handledLate);
    log.noteRejected(neverHandled);
    log.markHandled(handledLate);
    log.endOfMacrotask();
    expect(log.unhandledRejections().map((call) => call.args[0])).toEqual(['b']);
  });

  it('keeps operations from request to settlement and lists those still waiting in start order', () => {
    const log = records();
    const later = log.registerOperation('later', false);
    const now = log.registerOperation('now', true);
    const done = log.registerOperation('done', true);
    nowMs = 5;
    log.startOperation(later);
    log.settleOperation(done, 'resolved', true);
    log.settleOperation(done, 'rejected', 'twice');
    log.settleOperation(now, 'uncopyable', 'a function');
    expect(log.operations[done]).toMatchObject({
      settledAtMs: 5,
      outcome: { kind: 'resolved', value: true },
    });
    expect(log.operations[now].outcome).toEqual({
      kind: 'rejected',
      message: 'the value it resolved with cannot be copied out of the sandbox (a function)',
    });
    expect(log.waitingOperations).toBe(1);
    expect(log.stillWaiting()).toEqual([
      { index: 0, label: 'later', startedAtMs: 5, settledAtMs: null, outcome: { kind: 'waiting' } },
    ]);
  });

  it('places each mark among the calls made before it', () => {
    const log = records();
    log.mark('tick');
    log.recordCpuCall('digest', 0, ['a'], 2);
    nowMs = 3;
    log.mark('tick');
    expect(log.marks).toEqual([
      { label: 'tick', atMs: 0, callsBefore: 0 },
      { label: 'tick', atMs: 3, callsBefore: 1 },
    ]);
  });
});
