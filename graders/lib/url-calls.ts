import type { ServiceCallRecord } from '../grader-api';
import { formatMs, listSome, plural } from './format';

/** The url a call asked for, as the host copied it out of the isolate. */
export function urlOf(call: ServiceCallRecord): string {
  return typeof call.args[0] === 'string' ? call.args[0] : String(call.args[0]);
}

/** Calls of one service, in call order. */
export function callsTo(service: string, calls: readonly ServiceCallRecord[]): ServiceCallRecord[] {
  return calls.filter((call) => call.service === service);
}

/**
 * "Each url fetched exactly once": no url missing, none repeated, nothing outside the list.
 * Returns null when that holds, otherwise a sentence with the evidence.
 */
export function describeFetchCountProblem(
  urls: readonly string[],
  calls: readonly ServiceCallRecord[],
): string | null {
  const callsByUrl = new Map<string, ServiceCallRecord[]>();
  for (const call of calls) {
    const url = urlOf(call);
    callsByUrl.set(url, [...(callsByUrl.get(url) ?? []), call]);
  }
  const expected = new Set(urls);
  const problems: string[] = [];
  const repeated = urls.filter((url) => (callsByUrl.get(url)?.length ?? 0) > 1);
  if (repeated.length > 0) {
    const first = callsByUrl.get(repeated[0])!;
    const times = first.map((call) => formatMs(call.startedAtMs)).join(', ');
    problems.push(
      `${repeated[0]} was fetched ${first.length} times (at ${times})` +
        (repeated.length > 1
          ? `; ${plural(repeated.length - 1, 'other url')} also fetched more than once`
          : ''),
    );
  }
  const missing = urls.filter((url) => !callsByUrl.has(url));
  if (missing.length > 0) problems.push(`never fetched: ${listSome(missing)}`);
  const strangers = [...callsByUrl.keys()].filter((url) => !expected.has(url));
  if (strangers.length > 0) problems.push(`fetched urls that are not in the list: ${listSome(strangers)}`);
  return problems.length > 0 ? problems.join('; ') : null;
}

/** Each distinct url once, in the order of its first fetch. */
export function firstFetchOrder(calls: readonly ServiceCallRecord[]): string[] {
  return [...new Set(calls.map(urlOf))];
}
