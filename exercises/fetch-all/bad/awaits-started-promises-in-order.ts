// expect-fail: no-unhandled-rejection, large-random
// Mistake: starts every fetch at once, then awaits the promises one by one. A later fetch that
// fails while an earlier one is still awaited has no handler yet: an unhandled rejection.
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  const pending = urls.map((url) => fetchData(url));
  const results: FetchResult[] = [];
  for (let i = 0; i < urls.length; i++) {
    try {
      results.push({ url: urls[i], ok: true, body: await pending[i] });
    } catch (err) {
      results.push({ url: urls[i], ok: false, error: (err as Error).message });
    }
  }
  return results;
}
