// expect-fail: empty-list
// Mistake: resolves when a countdown of finished fetches reaches zero, which never happens for [].
export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };

export function fetchAll(urls: string[], fetchData: (url: string) => Promise<string>): Promise<FetchResult[]> {
  return new Promise((resolve) => {
    const results: FetchResult[] = new Array(urls.length);
    let remaining = urls.length;
    const done = () => {
      remaining -= 1;
      if (remaining === 0) resolve(results);
    };
    urls.forEach((url, i) => {
      fetchData(url).then(
        (body) => {
          results[i] = { url, ok: true, body };
          done();
        },
        (err: Error) => {
          results[i] = { url, ok: false, error: err.message };
          done();
        },
      );
    });
  });
}
