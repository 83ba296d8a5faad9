// expect-fail: fetch-once, large-random
// Mistake: the shared cursor is advanced only after the fetch finishes, so every worker reads the
// same index first and the same url is fetched several times.
export async function crawl(urls: string[], fetchData: (url: string) => Promise<string>, limit: number): Promise<string[]> {
  const bodies: string[] = new Array(urls.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < urls.length) {
      const index = next;
      bodies[index] = await fetchData(urls[index]);
      next = index + 1;
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, urls.length) }, () => worker()));
  return bodies;
}
