// expect-fail: greedy-time, large-random
// Mistake: fetches in batches of `limit` and waits for the slowest of each batch before starting
// the next, so fast slots sit idle.
export async function crawl(urls: string[], fetchData: (url: string) => Promise<string>, limit: number): Promise<string[]> {
  const bodies: string[] = [];
  for (let first = 0; first < urls.length; first += limit) {
    const batch = urls.slice(first, first + limit);
    bodies.push(...(await Promise.all(batch.map((url) => fetchData(url)))));
  }
  return bodies;
}
