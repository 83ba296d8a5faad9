import { fail, pass, type Verdict } from '../../lib/check-tally';
import { formatCount, plural } from '../../lib/format';
import { decodeItem, describeItem, inverseKey } from '../item-code';
import type { QueueRunObservation } from '../queue-run-memory';
import { describeBrokenRun } from './run-problems';

/**
 * With one consumer, each producer's items come out in the order that producer put them. Judged
 * only on runs with one consumer (null otherwise), as the brief asks. Items already seen and
 * values no producer put are exactly-once's business and skipped here.
 */
export function judgeFifoPerProducer(run: QueueRunObservation): Verdict | null {
  if (run.plan.consumers !== 1) return null;
  const broken = describeBrokenRun(run);
  if (broken) return fail(broken);
  const { plan } = run;
  const inverse = inverseKey(plan.itemKey);
  const consumer = run.consumers[0];
  const latest = new Map<number, { seq: number; item: number; position: number }>();
  const seen = new Set<number>();
  for (const [position, item] of consumer.items.entries()) {
    if (seen.has(item)) continue;
    seen.add(item);
    const origin = decodeItem(item, plan.producers, inverse);
    if (origin.seq >= run.producers[origin.producer].produced) continue;
    const before = latest.get(origin.producer);
    if (before !== undefined && origin.seq < before.seq) {
      return fail(
        `producer ${origin.producer + 1}'s items came out of order: the consumer got ${describeItem(item, origin)} ` +
          `(position ${formatCount(position + 1)}) after ${describeItem(before.item, { producer: origin.producer, seq: before.seq })} ` +
          `(position ${formatCount(before.position + 1)}); a queue hands out the oldest item first`,
      );
    }
    latest.set(origin.producer, { seq: origin.seq, item, position });
  }
  return pass(
    `${plural(seen.size, 'item')} from ${plural(plan.producers, 'producer')}, each producer's in order`,
  );
}
