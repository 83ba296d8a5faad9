export type FetchResult = { url: string; ok: true; body: string } | { url: string; ok: false; error: string };
/** Fetches every url concurrently; one result per url in input order; a rejection becomes { ok: false, error: err.message } and does not stop the others. */
export declare function fetchAll(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
): Promise<FetchResult[]>;
