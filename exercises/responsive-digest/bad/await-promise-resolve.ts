// expect-fail: loop-stays-responsive, large-random
// Mistake: "yields" with await Promise.resolve(): that is a microtask, and microtasks run before
// any timer gets its turn.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    results.push(digest(item));
    await Promise.resolve();
  }
  return results;
}
