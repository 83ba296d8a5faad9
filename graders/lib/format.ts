/**
 * Number formatting for check messages. Written by hand rather than with toLocaleString so a
 * message never depends on the ICU data of the host that graded it (regrading must match).
 */

/** 6214 -> "6,214"; non-integers keep one decimal: 1840.5 -> "1,840.5". */
export function formatCount(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  const sign = rounded < 0 ? '-' : '';
  const [whole, fraction] = Math.abs(rounded).toString().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${sign}${grouped}.${fraction}` : `${sign}${grouped}`;
}

/** 1840 -> "1,840 ms". */
export function formatMs(ms: number): string {
  return `${formatCount(ms)} ms`;
}

/** 2310 / 480 -> "4.8x". */
export function formatSpeedup(slowMs: number, fastMs: number): string {
  if (fastMs <= 0) return 'infinitely';
  return `${(Math.round((slowMs / fastMs) * 10) / 10).toFixed(1)}x`;
}

/** "1 fetch", "3 fetches". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Joins at most `max` items and says how many more there were: "a, b, c and 4 more". */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${formatCount(items.length - max)} more`;
}

/** A value as a student would write it, short enough for one line of a message. */
export function describeValue(value: unknown, maxLength = 80): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/** 1 -> "1st", 2 -> "2nd", 13 -> "13th", 22 -> "22nd". */
export function ordinal(count: number): string {
  const tens = count % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th');
  return `${formatCount(count)}${suffix}`;
}
