export async function fetchEach(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
): Promise<string[]> {
  return Promise.all(urls.map((url) => fetchData(url).catch((error: Error) => `error: ${error.message}`)));
}
