import { createHash } from 'node:crypto';
import type { ExerciseDefinition } from '../exercises/exercise-definition';

/** An exercise definition for tests; `revision` changes its content (and so its hash). */
export function exerciseDefinition(slug: string, revision = 1): ExerciseDefinition {
  const statement = `# ${slug}\nRevision ${revision}.`;
  return {
    slug,
    title: `Exercise ${slug}`,
    kind: 'async',
    grader: 'fetch-all',
    exports: ['fetchAll'],
    limits: { timeoutMs: 5000, memoryMb: 64, maxConsoleBytes: 4096 },
    checks: [
      { id: 'order', name: 'keeps order', points: 2, hidden: false },
      { id: 'limit', name: 'respects the limit', points: 3, hidden: true },
    ],
    settings: { maxConcurrency: 3 },
    statement,
    contract: 'export declare function fetchAll(urls: string[]): Promise<string[]>;',
    starter: 'export async function fetchAll(urls: string[]) { return []; }',
    contentHash: createHash('sha256').update(`${slug}:${statement}`).digest('hex'),
    dir: `/exercises/${slug}`,
  };
}
