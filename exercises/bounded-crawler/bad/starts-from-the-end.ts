// expect-fail: start-order, large-random
// Mistake: workers take urls with pop(), from the end of the list, so fetches start in reverse order.
export async function crawl(urls: string[], fetchData: (url: string) => Promise<string>, limit: number): Promise<string[]> {
  const bodies: string[] = new Array(urls.length);
  const todo = urls.map((url, index) => ({ url, index }));
  async function worker(): Promise<void> {
    for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
      bodies[item.index] = await fetchData(item.url);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, urls.length) }, () => worker()));
  return bodies;
}
