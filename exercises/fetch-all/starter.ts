export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

/**
 * Fetches every url concurrently; one result per url in input order; a rejection becomes
 * { ok: false, error: err.message } and does not stop the others.
 */
export async function fetchAll(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
): Promise<FetchResult[]> {
  // TODO: this gets the results right but fetches one url at a time. Start every fetch at once.
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
