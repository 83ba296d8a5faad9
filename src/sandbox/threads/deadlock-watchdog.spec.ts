import { DeadlockWatchdog, LOST_WAKEUP_CONFIRM_MS, type WatchedThread } from './deadlock-watchdog';
import { GraderSharedBuffers } from './grader-shared-buffers';
import type { PublishedWaitSite, ThreadEvidenceSnapshot } from './thread-evidence-reader';

const FOREVER_ON_STATE_0: PublishedWaitSite = {
  buffer: 0,
  index: 0,
  expected: 1,
  timeoutMs: Infinity,
  elementBytes: 4,
};

function evidence(overrides: Partial<ThreadEvidenceSnapshot> = {}): ThreadEvidenceSnapshot {
  return {
    sequence: 10,
    consistent: true,
    blockedMs: 0,
    waits: 3,
    site: FOREVER_ON_STATE_0,
    wokeOthers: 0,
    wokenByNotify: 0,
    ...overrides,
  };
}

function setUp() {
  const state = new Int32Array(new SharedArrayBuffer(16));
  state[0] = 1;
  return { state, watchdog: new DeadlockWatchdog(new GraderSharedBuffers({ state })) };
}

const asleep = (overrides: Partial<ThreadEvidenceSnapshot> = {}): WatchedThread => ({
  live: true,
  evidence: evidence(overrides),
});

describe('DeadlockWatchdog', () => {
  it('declares a deadlock only on the second poll that sees every live thread asleep with nothing moved', () => {
    const { watchdog } = setUp();
    expect(watchdog.poll([asleep(), asleep()])).toBe(false);
    expect(watchdog.poll([asleep(), asleep()])).toBe(true);
  });

  it('ignores threads that ended, but needs at least one live thread', () => {
    const { watchdog } = setUp();
    const ended: WatchedThread = { live: false, evidence: evidence({ site: null }) };
    watchdog.poll([ended, asleep()]);
    expect(watchdog.poll([ended, asleep()])).toBe(true);
    watchdog.poll([ended, ended]);
    expect(watchdog.poll([ended, ended])).toBe(false);
  });

  it('never flags a wait with a timeout, or a thread that is running', () => {
    const { watchdog } = setUp();
    const napping = asleep({ site: { ...FOREVER_ON_STATE_0, timeoutMs: 1000 } });
    watchdog.poll([asleep(), napping]);
    expect(watchdog.poll([asleep(), napping])).toBe(false);
    const running = asleep({ site: null });
    watchdog.poll([asleep(), running]);
    expect(watchdog.poll([asleep(), running])).toBe(false);
  });

  it('waits while a wake-up is on its way: a notified thread not yet scheduled still looks asleep', () => {
    const { watchdog } = setUp();
    // Thread 0 woke one waiter and went to sleep again; thread 1's wait has not returned 'ok' yet.
    const threads = [asleep({ wokeOthers: 1 }), asleep()];
    watchdog.poll(threads);
    expect(watchdog.poll(threads)).toBe(false);
    expect(watchdog.poll(threads)).toBe(false);
    // Once the woken thread's wait returned (and it slept again), the sums agree.
    const later = [asleep({ wokeOthers: 1 }), asleep({ wokenByNotify: 1, sequence: 14 })];
    watchdog.poll(later);
    expect(watchdog.poll(later)).toBe(true);
  });

  it('starts over when anything moved between polls: a wait, a notify, or the grader memory', () => {
    const { state, watchdog } = setUp();
    watchdog.poll([asleep(), asleep()]);
    expect(watchdog.poll([asleep({ sequence: 12 }), asleep()])).toBe(false);
    state[3] = 7;
    expect(watchdog.poll([asleep({ sequence: 12 }), asleep()])).toBe(false);
    expect(watchdog.poll([asleep({ sequence: 12 }), asleep()])).toBe(true);
  });

  it('waits LOST_WAKEUP_CONFIRM_MS before it believes a lost wake-up: the sleeper may be a thread about to get not-equal', () => {
    const { state, watchdog } = setUp();
    state[0] = 0; // both expect 1: either nobody woke them, or they were preempted just before the native wait
    expect(watchdog.poll([asleep(), asleep()], 1000)).toBe(false);
    expect(watchdog.poll([asleep(), asleep()], 1050)).toBe(false);
    expect(watchdog.poll([asleep(), asleep()], 1000 + LOST_WAKEUP_CONFIRM_MS - 1)).toBe(false);
    expect(watchdog.poll([asleep(), asleep()], 1000 + LOST_WAKEUP_CONFIRM_MS)).toBe(true);
  });

  it('does not trust a reading the thread kept writing through', () => {
    const { watchdog } = setUp();
    const torn = asleep({ consistent: false });
    watchdog.poll([asleep(), torn]);
    expect(watchdog.poll([asleep(), torn])).toBe(false);
  });
});
