import { formatMs } from '../lib/format';
import type { StoreEvent } from './bank-store';

/**
 * Evidence, from the store's log alone, that two operations were inside one account's
 * read-then-write at the same time. The log is in the order the calls took effect, so "between"
 * means between in that order, ties at one instant included. Returns a sentence, or null.
 */
export function describeOverlap(
  log: readonly StoreEvent[],
  account: string,
  everyReadIsWritten: boolean,
): string | null {
  const events = log.filter((event) => event.account === account);
  for (const [position, read] of events.entries()) {
    if (read.kind !== 'read') continue;
    // A write already on its way when the read answered: whoever wrote had let go of the account early.
    const inFlight = events
      .slice(position + 1)
      .find((event) => event.kind === 'write' && event.calledAtMs < read.atMs);
    if (inFlight)
      return (
        `read(${account}) answered ${read.value} at ${formatMs(read.atMs)} while write(${account}, ${inFlight.value}), ` +
        `called at ${formatMs(inFlight.calledAtMs)}, had not landed yet (it landed at ${formatMs(inFlight.atMs)})`
      );
  }
  if (!everyReadIsWritten) return null;
  // Where every operation writes what it read, two reads in a row mean two operations held the same old balance.
  for (let i = 1; i < events.length; i++) {
    const [first, second] = [events[i - 1], events[i]];
    if (first.kind === 'read' && second.kind === 'read')
      return (
        `read(${account}) answered ${first.value} at ${formatMs(first.atMs)} and ${second.value} at ${formatMs(second.atMs)} ` +
        `with no write of ${account} landing in between: two operations each computed a new balance from the same old one`
      );
  }
  return null;
}
