// expect-fail: loop-stays-responsive, large-random
// Mistake: a plain loop; nothing else runs until every item is digested.
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) results.push(digest(item));
  return results;
}
