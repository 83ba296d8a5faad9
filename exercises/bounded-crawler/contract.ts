/** Fetches every url with at most `limit` fetches in flight, starting the next fetch as soon as one finishes; resolves to the bodies in input order. */
export declare function crawl(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
  limit: number,
): Promise<string[]>;
