import { fail, pass, type Verdict } from '../../lib/check-tally';
import { formatCount, formatMs, plural } from '../../lib/format';
import { decodeItem, describeItem, inverseKey, type ItemOrigin } from '../item-code';
import type { ConsumerRecord, ProducerRecord, QueueRunObservation } from '../queue-run-memory';
import { describeBrokenRun, nameThreads } from './run-problems';

/** How many of a producer's next() items must come out of the queue (an item whose put() threw never went in). */
function itemsToConsume(producer: ProducerRecord): number {
  const notPut = producer.putEnd === 'threw-on-close' || producer.putEnd === 'threw-while-open' ? 1 : 0;
  return Math.max(0, producer.produced - notPut);
}

interface Tally {
  expected: number[];
  /** Per producer, per item: which consumers got it (in order of their logs). */
  takenBy: number[][][];
  unknown: { item: number; consumer: number }[];
  /** Items consumers stored beyond their logs: more than were produced, so duplicates or strangers. */
  unlogged: number;
}

function tally(run: QueueRunObservation): Tally {
  const { plan } = run;
  const inverse = inverseKey(plan.itemKey);
  const expected = run.producers.map(itemsToConsume);
  const takenBy = expected.map((count) => Array.from({ length: count }, (): number[] => []));
  const unknown: Tally['unknown'] = [];
  let unlogged = 0;
  for (const consumer of run.consumers) {
    for (const item of consumer.items) {
      const origin = decodeItem(item, plan.producers, inverse);
      if (origin.seq < expected[origin.producer])
        takenBy[origin.producer][origin.seq].push(consumer.consumer);
      else unknown.push({ item, consumer: consumer.consumer });
    }
    unlogged += Math.max(0, consumer.stored - consumer.items.length);
  }
  return { expected, takenBy, unknown, unlogged };
}

function originOf(
  run: QueueRunObservation,
  producer: number,
  seq: number,
): { item: number; origin: ItemOrigin } {
  const origin = { producer, seq };
  return { item: Math.imul(seq * run.plan.producers + producer, run.plan.itemKey), origin };
}

/** Why items went missing, when the grader's records show it. */
function explainLosses(run: QueueRunObservation, lost: ItemOrigin[], takenBy: number[][][]): string[] {
  const reasons: string[] = [];
  const early = run.consumers.filter((consumer) => consumer.early);
  if (early.length > 0) {
    const first = early[0];
    const when =
      first.returnedAtMs === null
        ? ''
        : ` (consumer ${first.consumer + 1} after ${formatMs(Math.round(first.returnedAtMs))})`;
    reasons.push(
      `${nameThreads(
        'consumer',
        early.map((c) => c.consumer),
      )} returned from consume() before close() was called${when}, ` +
        'while the queue was open: get() must keep waiting while the queue is empty and open',
    );
  }
  // Items dropped by close() are the newest of each producer (what was still queued), and nobody
  // got anything after close(); items lost to a race are scattered through the sequence instead.
  const { coordinator } = run;
  const queuedAtClose = coordinator.producedAtClose - coordinator.storedAtClose;
  const takenAfterClose = run.consumers.reduce((sum, c) => sum + c.stored - c.storedAtClose, 0);
  const newestOnly = lost.every(({ producer, seq }) =>
    takenBy[producer].slice(seq).every((by) => by.length === 0),
  );
  const closeDropped = queuedAtClose >= lost.length && takenAfterClose === 0 && newestOnly;
  if (coordinator.closeCalledAtMs !== null && closeDropped && early.length === 0) {
    reasons.push(
      `the lost items are the newest of their producers, still queued when close() was called, and no consumer ` +
        'got anything after close(): items queued before close() must stay available to get()',
    );
  }
  const unfinished = run.consumers.filter(
    (consumer: ConsumerRecord) => consumer.status === 'running' || consumer.status === 'not-started',
  );
  if (unfinished.length > 0 && reasons.length === 0)
    reasons.push(
      `${nameThreads(
        'consumer',
        unfinished.map((c) => c.consumer),
      )} never finished`,
    );
  return reasons;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Every item produced is consumed exactly once: no loss, no duplicate, nothing that was never put. */
export function judgeExactlyOnce(run: QueueRunObservation): Verdict {
  const broken = describeBrokenRun(run);
  if (broken) return fail(broken);
  const { expected, takenBy, unknown, unlogged } = tally(run);
  const total = expected.reduce((sum, count) => sum + count, 0);

  const lost: ItemOrigin[] = [];
  const repeated: { producer: number; seq: number; by: number[] }[] = [];
  takenBy.forEach((items, producer) =>
    items.forEach((by, seq) => {
      if (by.length === 0) lost.push({ producer, seq });
      else if (by.length > 1) repeated.push({ producer, seq, by });
    }),
  );
  const invalid = run.consumers.filter((consumer) => consumer.invalid !== null);
  if (
    lost.length === 0 &&
    repeated.length === 0 &&
    unknown.length === 0 &&
    unlogged === 0 &&
    invalid.length === 0
  )
    return pass(`${plural(total, 'item')}, each consumed once`);

  const counts: string[] = [];
  if (lost.length > 0) counts.push(`lost ${formatCount(lost.length)} of ${plural(total, 'item')}`);
  if (repeated.length > 0) counts.push(`consumed ${plural(repeated.length, 'item')} more than once`);
  const strangers = unknown.length + unlogged;
  if (strangers > 0) counts.push(`handed out ${plural(strangers, 'value')} that no producer put`);
  if (invalid.length > 0) {
    const values = invalid.reduce((sum, consumer) => sum + consumer.invalid!.count, 0);
    counts.push(
      `handed ${plural(values, 'value')} that ${values === 1 ? 'is' : 'are'} not an int32 item to store()`,
    );
  }

  const examples: string[] = [];
  if (lost.length > 0) {
    const { item, origin } = originOf(run, lost[0].producer, lost[0].seq);
    examples.push(`${describeItem(item, origin)} was never consumed`);
  }
  if (repeated.length > 0) {
    const { producer, seq, by } = repeated[0];
    const { item, origin } = originOf(run, producer, seq);
    const takers = by.every((consumer) => consumer === by[0])
      ? `all by consumer ${by[0] + 1}`
      : `by ${by.map((consumer) => `consumer ${consumer + 1}`).join(', ')}`;
    examples.push(`${describeItem(item, origin)} was consumed ${by.length} times (${takers})`);
  }
  if (unknown.length > 0)
    examples.push(`consumer ${unknown[0].consumer + 1} got ${unknown[0].item}, which no producer put`);
  if (invalid.length > 0) {
    const consumer = invalid[0];
    const value = consumer.invalid!.kind === 'undefined' ? 'undefined' : 'a value that is not an int32';
    examples.push(
      `consumer ${consumer.consumer + 1} handed ${value} to store() after ${plural(consumer.invalid!.afterItems, 'item')}: ` +
        'store() takes items only, never the undefined that ends the queue',
    );
  }
  const reasons = lost.length > 0 ? explainLosses(run, lost, takenBy) : [];
  return fail(
    `${counts.join(', ')}; e.g. ${examples.join('; ')}${reasons.length > 0 ? `. ${capitalize(reasons.join('; '))}` : ''}`,
  );
}
