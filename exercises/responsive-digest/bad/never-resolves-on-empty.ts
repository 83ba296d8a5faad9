// expect-fail: empty-list
// Mistake: resolves from the callback that digests the last item, which never runs for [].
export function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  return new Promise((resolve) => {
    const results: string[] = [];
    const step = (i: number) => {
      results.push(digest(items[i]));
      if (i === items.length - 1) resolve(results);
      else setImmediate(() => step(i + 1));
    };
    if (items.length > 0) step(0);
  });
}
