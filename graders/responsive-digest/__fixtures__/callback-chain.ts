// Correct: one setImmediate callback per item, resolving after the last (or at once for []).
export function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  return new Promise((resolve) => {
    const results: string[] = [];
    const step = () => {
      if (results.length === items.length) return resolve(results);
      results.push(digest(items[results.length]));
      setImmediate(step);
    };
    step();
  });
}
