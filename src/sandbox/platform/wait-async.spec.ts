/**
 * V8's own Atomics.waitAsync inside an isolate (probe-wait-async.ts). The runtimes work around it:
 * the submission's worker threads hand real waits to the host
 * (src/sandbox/worker-threads/host-async-waits.ts, src/sandbox/isolate/worker-threads/atomics-waits.ts),
 * the grading isolate keeps its own waiters on the virtual clock
 * (src/sandbox/isolate/single-agent-atomics.ts), and grader-started threads refuse it.
 */
import { ifItFails, runProbe } from './__fixtures__/probe-in-child';

interface Settlement {
  result: string;
  entriesBefore: number;
}

interface WaitAsyncProbe {
  entryEveryMs: number;
  finiteTimeout: Settlement;
  notifiedByHost: Settlement & { woke: number };
  notifiedByIsolate: Settlement & { woke: number };
}

const STILL_NEEDED =
  'so the host-side waits (host-async-waits.ts, atomics-waits.ts) and the virtual-clock waiters ' +
  '(single-agent-atomics.ts) may no longer be needed: measure again and update docs/threads.md.';

describe("V8's own Atomics.waitAsync in an isolated-vm isolate", () => {
  let probe: WaitAsyncProbe;

  beforeAll(() => {
    probe = runProbe<WaitAsyncProbe>('probe-wait-async');
  });

  it('never times out: a 100 ms wait is still pending after five entries into the isolate, 150 ms apart', () => {
    // isolated-vm 5.0.4 aborted the whole process here ("terminate called without an active exception").
    ifItFails(`Atomics.waitAsync with a timeout now settles inside the isolate, ${STILL_NEEDED}`, () =>
      expect(probe.finiteTimeout).toEqual({ result: 'pending', entriesBefore: 5 }),
    );
  });

  it.each(['notifiedByHost', 'notifiedByIsolate'] as const)(
    'settles a wait woken by a notify (%s) only when the isolate is next entered',
    (which) => {
      const wait = probe[which];
      expect(wait.woke).toBe(1);
      expect(wait.result).toBe('ok');
      // 300 ms after the notify without an entry it had not settled; the first entry settles it.
      ifItFails(
        `a notified Atomics.waitAsync now settles without the isolate being entered, ${STILL_NEEDED}`,
        () => expect(wait.entriesBefore).toBeGreaterThanOrEqual(1),
      );
      expect(wait.entriesBefore).toBeLessThanOrEqual(2);
    },
  );
});
