import { mayHaveHiddenARace } from './busy-repeats';
import { testPlan, testRun } from './testing/queue-run-builder';
import type { QueueRunObservation } from './queue-run-memory';

const BUSY = { processCpuMs: 300, systemBusyMs: 1000, cores: 2, spanMs: 500 };
const QUIET = { processCpuMs: 300, systemBusyMs: 320, cores: 2, spanMs: 500 };

function on(host: typeof BUSY, observation: QueueRunObservation): QueueRunObservation {
  return { ...observation, evidence: { ...observation.evidence, host } };
}

describe('mayHaveHiddenARace: which runs are run again', () => {
  const contended = testRun(testPlan({ kind: 'flow', producers: 2, consumers: 1 }));

  it('a flow with two producers that lost nothing on a busy machine', () => {
    expect(mayHaveHiddenARace(on(BUSY, contended))).toBe(true);
  });

  it('not the same run on a quiet machine, nor where the host could not tell', () => {
    expect(mayHaveHiddenARace(on(QUIET, contended))).toBe(false);
    expect(mayHaveHiddenARace(contended)).toBe(false);
  });

  it('not a run with one producer and one consumer: nobody else touches their end of the queue', () => {
    expect(mayHaveHiddenARace(on(BUSY, testRun(testPlan({ producers: 1, consumers: 1 }))))).toBe(false);
  });

  it('not a run that already lost an item: it has failed', () => {
    const lost = testRun(testPlan({ producers: 2, consumers: 1 }), { taken: [[[0, 0]]] });
    expect(mayHaveHiddenARace(on(BUSY, lost))).toBe(false);
  });

  it('not the runs of the other checks', () => {
    const drain = testRun(testPlan({ kind: 'drain-after-close', producers: 2, consumers: 1 }));
    expect(mayHaveHiddenARace(on(BUSY, drain))).toBe(false);
  });
});
