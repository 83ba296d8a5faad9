// expect-fail: max-in-flight, large-random
// Mistake: ignores the limit and starts every fetch at once.
export async function crawl(urls: string[], fetchData: (url: string) => Promise<string>, _limit: number): Promise<string[]> {
  return Promise.all(urls.map((url) => fetchData(url)));
}
