import type { ThreadReport, ThreadRunEvidence, WaitSite } from '../grader-api';
import {
  describeFirstThrow,
  describeStoppedThread,
  describeUnfinishedRun,
  describeWaitSite,
  isLostWakeup,
} from './stopped-threads';

const site = (overrides: Partial<WaitSite> = {}): WaitSite => ({
  buffer: 'state',
  index: 0,
  expected: 2,
  current: 2,
  timeoutMs: null,
  ...overrides,
});

function thread(index: number, overrides: Partial<ThreadReport> = {}): ThreadReport {
  return {
    index,
    threadId: index + 1,
    end: { kind: 'stopped' },
    cpuMs: 0,
    blockedMs: 0,
    waits: 0,
    waitingOn: null,
    ...overrides,
  };
}

function run(threads: ThreadReport[], overrides: Partial<ThreadRunEvidence> = {}): ThreadRunEvidence {
  return { status: 'deadlock', wallMs: 612.3, threads, lostWakeups: [], console: [], ...overrides };
}

describe('sentences about threads that did not finish', () => {
  it('says which cell a thread sleeps on, and whether it changed since', () => {
    expect(describeWaitSite(site())).toBe('waits on state[0] == 2, still 2');
    expect(describeWaitSite(site({ current: 0 }))).toBe('waits on state[0] == 2, now 0');
    expect(describeWaitSite(site({ buffer: null, current: null, index: 3 }))).toBe(
      'waits on memory the grader did not allocate (element 3) == 2',
    );
    expect(describeWaitSite(site({ timeoutMs: 300 }))).toBe(
      'waits on state[0] == 2, still 2 (timeout 300 ms)',
    );
    expect(isLostWakeup(site({ current: 0 }))).toBe(true);
    expect(isLostWakeup(site({ buffer: null, current: null }))).toBe(false);
  });

  it('calls a sleeper whose cell changed a lost wake-up, and a thread not in a wait still running', () => {
    expect(describeStoppedThread(thread(2, { waitingOn: site({ current: 0 }) }), 'in lock()')).toBe(
      'thread 3 still blocked in lock(): waits on state[0] == 2, now 0 — nobody woke it (lost wake-up)',
    );
    expect(describeStoppedThread(thread(0), 'in get()')).toBe(
      'thread 1 still running in get(), not asleep in Atomics.wait',
    );
  });

  it('lists lost wake-ups first, then other sleepers, then running threads, and counts the rest', () => {
    const evidence = run([
      thread(0),
      thread(1, { waitingOn: site() }),
      thread(2, { waitingOn: site({ current: 0 }) }),
      thread(3, { waitingOn: site() }),
      thread(4, { end: { kind: 'returned', value: undefined } }),
    ]);
    expect(describeUnfinishedRun(evidence, 'with 5 threads', (t) => `thread ${t.threadId}`)).toBe(
      'deadlock after 612 ms with 5 threads: thread 3; thread 2; thread 4; 1 more thread stopped',
    );
    expect(describeUnfinishedRun({ ...evidence, status: 'completed' }, 'x', () => '')).toBeNull();
    expect(
      describeUnfinishedRun(
        run([thread(0)], { status: 'timeout', wallMs: 2000 }),
        'on run 1',
        () => 'thread 1',
      ),
    ).toBe('not finished after 2,000 ms on run 1: thread 1');
  });

  it('names the first thread that threw, with the line', () => {
    expect(describeFirstThrow(run([thread(0, { end: { kind: 'returned', value: 1 } })]))).toBeNull();
    expect(
      describeFirstThrow(
        run([
          thread(0, { end: { kind: 'threw', message: 'Error: boom', location: { line: 7, column: 1 } } }),
        ]),
      ),
    ).toBe('thread 1 threw Error: boom (line 7)');
  });
});
