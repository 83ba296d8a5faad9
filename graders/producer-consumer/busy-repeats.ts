import { busyEnoughToRepeat } from '../lib/busy-machine';
import { judgeExactlyOnce } from './judges/exactly-once';
import type { QueueRunObservation } from './queue-run-memory';

/**
 * A flow run in which items went to several producers or consumers at once and none was lost or
 * doubled, on a machine busy enough that a race may have stayed hidden: it is run again
 * (graders/lib/busy-machine.ts).
 */
export function mayHaveHiddenARace(observation: QueueRunObservation): boolean {
  const { plan } = observation;
  if (plan.kind !== 'flow' || (plan.producers < 2 && plan.consumers < 2)) return false;
  if (judgeExactlyOnce(observation)?.passed !== true) return false;
  return busyEnoughToRepeat(observation.evidence);
}
