// expect-fail: results, large-random
// Mistake: stores the Error itself (or its text with "Error: " in front) instead of err.message.
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export async function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  return Promise.all(
    urls.map(async (url): Promise<FetchResult> => {
      try {
        return { url, ok: true, body: await fetchData(url) };
      } catch (err) {
        return { url, ok: false, error: String(err) };
      }
    }),
  );
}
