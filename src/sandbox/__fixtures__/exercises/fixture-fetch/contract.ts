export declare function fetchEach(
  urls: string[],
  fetchData: (url: string) => Promise<string>,
): Promise<string[]>;
