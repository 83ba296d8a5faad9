// expect-fail: bodies-in-order, large-random
// Mistake: the pool is right, but bodies are pushed as fetches finish, i.e. in completion order.
export async function crawl(urls: string[], fetchData: (url: string) => Promise<string>, limit: number): Promise<string[]> {
  const bodies: string[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < urls.length) {
      const url = urls[next++];
      bodies.push(await fetchData(url));
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, urls.length) }, () => worker()));
  return bodies;
}
