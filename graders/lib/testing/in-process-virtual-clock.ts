import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { AsyncRunEvidence, AsyncScenario, ScenarioResult, ServiceCallRecord } from '../../grader-api';

/**
 * A test double for `GraderContext.runAsync`: runs an async export in this process on a virtual
 * clock, so graders can be exercised on real student-shaped code without the sandbox. Each
 * service promise settles as its own event; between events every microtask runs (a macrotask
 * boundary), and an event's time is "now" for everything that happens until the next one.
 * Only for code that uses no timers of its own (fetch-all, bounded-crawler).
 */
type AsyncExport = (...args: unknown[]) => unknown;

interface PendingSettle {
  atMs: number;
  order: number;
  record: ServiceCallRecord;
  promise: TrackedPromise;
  settle: () => void;
}

/** A service promise that notices when the submission attaches a handler (await, then, catch, Promise.all). */
class TrackedPromise extends Promise<unknown> {
  handled = false;
  // Derived promises are plain, as in the sandbox: only the service's own promise is tracked.
  static get [Symbol.species]() {
    return Promise;
  }
  then<A = unknown, B = never>(
    onFulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.handled = true;
    return super.then(onFulfilled, onRejected);
  }
}

export async function runOnVirtualClock(fn: AsyncExport, scenario: AsyncScenario): Promise<AsyncRunEvidence> {
  const maxVirtualMs = scenario.maxVirtualMs ?? 60_000;
  const calls: ServiceCallRecord[] = [];
  const unhandledRejections: ServiceCallRecord[] = [];
  const queue: PendingSettle[] = [];
  const callCounts = new Map<string, number>();
  let nowMs = 0;
  let order = 0;

  const makeService = (name: string) => {
    const service = scenario.services[name];
    if (!service) throw new Error(`scenario names service ${name} but does not define it`);
    return (...args: unknown[]) => {
      const index = callCounts.get(name) ?? 0;
      callCounts.set(name, index + 1);
      const plan = service({ args: structuredClone(args), index, nowMs });
      const record: ServiceCallRecord = {
        service: name,
        index,
        args: structuredClone(args),
        startedAtMs: nowMs,
        settledAtMs: null,
        ok: false,
      };
      calls.push(record);
      let resolveFn!: (value: unknown) => void;
      let rejectFn!: (reason: unknown) => void;
      const promise = new TrackedPromise((resolve, reject) => {
        resolveFn = resolve;
        rejectFn = reject;
      });
      const settle = () => {
        const outcome = typeof plan.outcome === 'function' ? plan.outcome({ nowMs }) : plan.outcome;
        record.ok = outcome.ok;
        if (outcome.ok) resolveFn(structuredClone(outcome.value));
        else rejectFn(new Error(outcome.error));
      };
      queue.push({ atMs: nowMs + plan.latencyMs, order: order++, record, promise, settle });
      return promise;
    };
  };

  const args = scenario.args.map((arg) =>
    'service' in arg ? makeService(arg.service) : structuredClone(arg.value),
  );
  let result: ScenarioResult | null = null;
  let settledAtMs: number | null = null;
  const onSettled = (settledResult: ScenarioResult) => {
    result = settledResult;
    settledAtMs = nowMs;
  };
  try {
    Promise.resolve(fn(...args)).then(
      (value) => onSettled({ kind: 'resolved', value }),
      (error: unknown) =>
        onSettled({ kind: 'rejected', message: error instanceof Error ? error.message : String(error) }),
    );
  } catch (error) {
    onSettled({ kind: 'rejected', message: error instanceof Error ? error.message : String(error) });
  }

  await nextMacrotask();
  while (result === null) {
    queue.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
    const next = queue.shift();
    if (next === undefined) return evidence({ kind: 'pending', reason: 'no-events-left' }, null);
    if (next.atMs > maxVirtualMs) return evidence({ kind: 'pending', reason: 'virtual-time-cap' }, null);
    nowMs = next.atMs;
    next.record.settledAtMs = nowMs;
    next.settle();
    // Keep Node itself quiet about a rejection nobody handles; the harness judges that below.
    Promise.prototype.then.call(next.promise, undefined, () => undefined);
    await nextMacrotask();
    if (!next.record.ok && !next.promise.handled) unhandledRejections.push(next.record);
  }
  return evidence(result, settledAtMs);

  function evidence(finalResult: ScenarioResult, finalSettledAtMs: number | null): AsyncRunEvidence {
    return { result: finalResult, settledAtMs: finalSettledAtMs, calls, unhandledRejections, console: [] };
  }
}
