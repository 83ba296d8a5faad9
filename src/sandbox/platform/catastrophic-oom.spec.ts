/**
 * When V8 itself runs out of memory in an isolate (probe-catastrophic-oom.ts). new-sandbox-isolate.ts
 * installs no `onCatastrophicError` because of what the first two cases pin: with a handler the
 * process hangs; without one V8 aborts at once and the pool reads "is_heap_oom" in stderr
 * (memory_limit). Each case runs in a child killed when it hangs (alive, no CPU used for 2 s).
 */
import { ifItFails, watchProbe } from './__fixtures__/probe-in-child';

const PROBE = 'probe-catastrophic-oom';
const WATCH = { watchFrom: 'bomb', quietMs: 2000, hardTimeoutMs: 40_000 };
const HANDLER_CALLED = 'handler called: Catastrophic out-of-memory error';
const HANDLER_USABLE =
  'onCatastrophicError no longer hangs the process: new-sandbox-isolate.ts could install a handler ' +
  'instead of relying on the abort (see its comment and docs/threads.md).';

describe('a catastrophic out-of-memory error in an isolate', () => {
  it('with an onCatastrophicError handler, during an async call: the handler runs, but process.exit() in it never returns', async () => {
    const run = await watchProbe(PROBE, ['with-handler', 'async'], WATCH);
    expect(run.stdout).toContain(HANDLER_CALLED);
    ifItFails(HANDLER_USABLE, () => expect(run.end).toBe('hung'));
  }, 60_000);

  it('with a handler, during a sync call: the handler never runs and the process hangs', async () => {
    const run = await watchProbe(PROBE, ['with-handler', 'sync'], WATCH);
    ifItFails(HANDLER_USABLE, () => {
      expect(run.stdout).not.toContain('handler called');
      expect(run.end).toBe('hung');
    });
  }, 60_000);

  it.each(['async', 'sync'])(
    'without a handler (%s call): V8 aborts the process and says is_heap_oom',
    async (mode) => {
      const run = await watchProbe(PROBE, ['no-handler', mode], WATCH);
      expect(run.end).toEqual({ code: null, signal: 'SIGABRT' });
      expect(run.stderr).toContain('is_heap_oom');
    },
    60_000,
  );
});
