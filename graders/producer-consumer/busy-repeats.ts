import { othersShare } from '../lib/busy-machine';
import { judgeExactlyOnce } from './judges/exactly-once';
import type { QueueRunObservation } from './queue-run-memory';

/**
 * A flow run in which items went to several producers or consumers at once, that showed no lost or
 * doubled item while other processes took more than this share of the machine, is run again (at
 * most MAX_BUSY_REPEATS times): its threads mostly took turns, so a race had little chance to show.
 * A repeat can only add a failure it observed; a correct queue passes every repeat.
 */
export const BUSY_MACHINE_SHARE = 0.2;
export const MAX_BUSY_REPEATS = 2;

export function mayHaveHiddenARace(observation: QueueRunObservation): boolean {
  const { plan } = observation;
  if (plan.kind !== 'flow' || (plan.producers < 2 && plan.consumers < 2)) return false;
  if (judgeExactlyOnce(observation)?.passed !== true) return false;
  return othersShare(observation.evidence) > BUSY_MACHINE_SHARE;
}
