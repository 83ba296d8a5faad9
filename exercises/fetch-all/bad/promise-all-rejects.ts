// expect-fail: results, order, large-random
// Mistake: plain Promise.all rejects as soon as one fetch fails, losing every other result.
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  return Promise.all(urls.map(async (url): Promise<FetchResult> => ({ url, ok: true, body: await fetchData(url) })));
}
