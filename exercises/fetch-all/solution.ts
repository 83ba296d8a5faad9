export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

/**
 * Fetches every url concurrently; one result per url in input order; a rejection becomes
 * { ok: false, error: err.message } and does not stop the others.
 */
export async function fetchAll(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
): Promise<FetchResult[]> {
  // Every fetch starts now, and each is wrapped so that it can only resolve: Promise.all then
  // waits for all of them and keeps input order, and no rejection is ever left unhandled.
  return Promise.all(
    urls.map(async (url): Promise<FetchResult> => {
      try {
        return { url, ok: true, body: await fetchData(url) };
      } catch (err) {
        return { url, ok: false, error: (err as Error).message };
      }
    }),
  );
}
