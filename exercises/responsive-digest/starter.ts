/**
 * Returns digest(item) for every item, in order, while letting the event loop run between digests
 * (real time: digest is real CPU work, a few ms each).
 */
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  // TODO: this gets the results right, but nothing else can run until every item is digested:
  // no timer fires, no request is answered. Let the event loop run between digests.
  return items.map((item) => digest(item));
}
