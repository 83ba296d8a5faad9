// expect-fail: loop-stays-responsive, large-random
// Mistake: "yields" with await null, which resumes in a microtask, before any timer.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    results.push(digest(item));
    await null;
  }
  return results;
}
