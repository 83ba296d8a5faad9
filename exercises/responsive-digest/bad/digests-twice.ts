// expect-fail: digest-once, large-random
// Mistake: calls digest once to log it and again to keep it: twice the expensive work.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    if (digest(item).length === 0) throw new Error(`empty digest for ${item}`);
    results.push(digest(item));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
