// Correct: yields with setTimeout from node:timers/promises (0 ms, which Node makes 1 ms).
import { setTimeout as sleep } from 'node:timers/promises';

export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    await sleep(0);
    results.push(digest(item));
  }
  return results;
}
