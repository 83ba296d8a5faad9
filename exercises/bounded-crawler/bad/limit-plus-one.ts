// expect-fail: max-in-flight, large-random
// Mistake: an off-by-one semaphore (`>` instead of `>=`) lets limit + 1 fetches run at once.
export async function crawl(urls: string[], fetchData: (url: string) => Promise<string>, limit: number): Promise<string[]> {
  let active = 0;
  const waiting: (() => void)[] = [];

  async function acquire(): Promise<void> {
    if (active > limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  }
  function release(): void {
    active--;
    waiting.shift()?.();
  }

  return Promise.all(
    urls.map(async (url) => {
      await acquire();
      try {
        return await fetchData(url);
      } finally {
        release();
      }
    }),
  );
}
