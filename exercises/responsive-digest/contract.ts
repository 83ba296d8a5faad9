/** Returns digest(item) for every item, in order, while letting the event loop run between digests (real time: digest is real CPU work, a few ms each). */
export declare function digestAll(items: string[], digest: (item: string) => string): Promise<string[]>;
