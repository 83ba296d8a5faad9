/** One turn of the event loop: the promise resolves from a macrotask, after timers that are due have run. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Returns digest(item) for every item, in order, while letting the event loop run between digests
 * (real time: digest is real CPU work, a few ms each).
 */
export async function digestAll(items: string[], digest: (item: string) => string): Promise<string[]> {
  const results: string[] = [];
  for (const item of items) {
    results.push(digest(item));
    // A microtask (await Promise.resolve(), await null) would come back before any timer or I/O
    // callback: only a macrotask gives the rest of the program its turn.
    await nextTurn();
  }
  return results;
}
