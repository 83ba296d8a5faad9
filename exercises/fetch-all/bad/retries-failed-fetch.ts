// expect-fail: fetch-once, large-random
// Mistake: fetches a url a second time after it fails; each url must be fetched exactly once.
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  return Promise.all(
    urls.map(async (url): Promise<FetchResult> => {
      try {
        return { url, ok: true, body: await fetchData(url) };
      } catch {
        try {
          return { url, ok: true, body: await fetchData(url) };
        } catch (err) {
          return { url, ok: false, error: (err as Error).message };
        }
      }
    }),
  );
}
