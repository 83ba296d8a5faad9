// expect-fail: loop-stays-responsive, large-random
// Mistake: an async callback per item runs synchronously up to its first await, and there is
// none: every digest still runs in the same turn of the event loop.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  return Promise.all(items.map(async (item) => digest(item)));
}
