// expect-fail: total-time, large-random
// Mistake: yields with setTimeout(resolve, 50): the loop stays responsive, but every item now
// waits 50 ms for nothing.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    results.push(digest(item));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return results;
}
