import { fail, pass, type Verdict } from '../../lib/check-tally';
import { formatCount, plural } from '../../lib/format';
import type { QueueRunObservation } from '../queue-run-memory';
import { describeBrokenRun } from './run-problems';

/**
 * The queue never holds more than its capacity. Two kinds of evidence:
 * - producers-wait-on-full: no consumer has run yet, so the number of put() calls that returned is
 *   exactly what the queue holds; it must reach the capacity (put() blocks only when full), not
 *   pass it, and size() must say the same.
 * - every run: producers compute a lower bound of the items in the queue at each next() (see the
 *   thread code); a correct queue never lets it pass the capacity, whatever the scheduling.
 */
export function judgeCapacity(run: QueueRunObservation): Verdict {
  const broken = describeBrokenRun(run);
  if (broken) return fail(broken);
  const { plan, coordinator } = run;
  const capacity = plan.capacity;
  const notes: string[] = [];

  if (plan.kind === 'producers-wait-on-full') {
    const held = coordinator.putsReturnedAtHold;
    const who = `with no consumer running, ${plural(plan.producers, 'producer')}`;
    if (held > capacity)
      return fail(
        `${who} completed ${plural(held, 'put() call')} into a queue of capacity ${capacity}: put() must block while the queue is full`,
      );
    if (held < capacity)
      return fail(
        `${who} could complete only ${plural(held, 'put() call')} into an empty queue of capacity ${capacity} before they ` +
          `all blocked: put() must block only when the queue holds ${capacity} items`,
      );
    const { size } = coordinator;
    if (size.kind === 'threw') return fail(`size() threw ${size.message}`);
    if (size.kind === 'not-an-integer') return fail('size() returned something that is not a whole number');
    if (size.kind === 'value' && size.value !== held)
      return fail(
        `size() returned ${formatCount(size.value)} while the queue held ${held} items (every producer blocked on the full queue)`,
      );
    notes.push(`put() blocked once ${held} items were queued; size() said ${held}`);
  }

  const worst = run.producers
    .map((producer) => producer.excess)
    .filter((excess) => excess !== null)
    .sort((a, b) => b.items - a.items)[0];
  if (worst !== undefined && worst.items > capacity) {
    return fail(
      `the queue held more than its capacity ${capacity}: once, at least ${formatCount(worst.items)} items had been put ` +
        `and not yet taken (${formatCount(worst.produced)} produced, ${formatCount(worst.stored)} consumed)`,
    );
  }
  notes.push(
    `never more than ${capacity} items queued; the most seen at once was at least ${formatCount(Math.max(0, worst?.items ?? 0))}`,
  );
  return pass(notes.join('; '));
}
