// expect-fail: loop-stays-responsive, large-random
// Mistake: yields a real macrotask, but only every hundred items.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const [i, item] of items.entries()) {
    results.push(digest(item));
    if ((i + 1) % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
