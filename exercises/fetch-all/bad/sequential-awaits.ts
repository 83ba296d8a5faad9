// expect-fail: concurrency, large-random
// Mistake: awaits each fetch before starting the next, so the total is the sum of the latencies.
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  const results: FetchResult[] = [];
  for (const url of urls) {
    try {
      results.push({ url, ok: true, body: await fetchData(url) });
    } catch (err) {
      results.push({ url, ok: false, error: (err as Error).message });
    }
  }
  return results;
}
