// expect-fail: order, large-random
// Mistake: pushes each result when its fetch finishes, so the results come out in completion order.
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  const results: FetchResult[] = [];
  await Promise.all(
    urls.map(async (url) => {
      try {
        results.push({ url, ok: true, body: await fetchData(url) });
      } catch (err) {
        results.push({ url, ok: false, error: (err as Error).message });
      }
    }),
  );
  return results;
}
