/**
 * Fetches every url with at most `limit` fetches in flight, starting the next fetch as soon as
 * one finishes; resolves to the bodies in input order.
 */
export async function crawl(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
  limit: number,
): Promise<string[]> {
  // TODO: this fetches every url at once and ignores `limit`. Keep at most `limit` in flight.
  void limit;
  return Promise.all(urls.map((url) => fetchData(url)));
}
