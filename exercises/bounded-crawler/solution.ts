/**
 * Fetches every url with at most `limit` fetches in flight, starting the next fetch as soon as
 * one finishes; resolves to the bodies in input order.
 */
export async function crawl(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
  limit: number,
): Promise<string[]> {
  const bodies: string[] = new Array(urls.length);
  let next = 0;

  // `limit` workers share one cursor. A worker claims the next index before it awaits, so no url
  // is taken twice, and it claims a new one the moment its fetch finishes: a free slot is
  // refilled at once, and fetches start in input order.
  async function worker(): Promise<void> {
    while (next < urls.length) {
      const index = next++;
      bodies[index] = await fetchData(urls[index]);
    }
  }

  const workers = Array.from({ length: Math.min(limit, urls.length) }, () => worker());
  await Promise.all(workers);
  return bodies;
}
