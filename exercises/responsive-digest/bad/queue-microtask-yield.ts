// expect-fail: loop-stays-responsive, large-random
// Mistake: yields with queueMicrotask, which also only lets microtasks run.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    results.push(digest(item));
    await new Promise<void>((resolve) => queueMicrotask(resolve));
  }
  return results;
}
