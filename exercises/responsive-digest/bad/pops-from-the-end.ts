// expect-fail: results-in-order, large-random
// Mistake: takes the items with pop(), from the end, so the results come out reversed.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const pending = [...items];
  const results: string[] = [];
  while (pending.length > 0) {
    results.push(digest(pending.pop()!));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
