/**
 * For specs: runs __fixtures__/run-threads.js from dist/ in a child `node` (isolated-vm cannot load
 * inside Jest) and returns what each run gave.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { ThreadRunFixtureRequest, ThreadRunFixtureRun } from './run-threads';

const RUNNER = resolve(__dirname, '../../../../dist/src/sandbox/threads/__fixtures__/run-threads.js');
export const FIXTURE_LIMITS = { wallTimeMs: 10_000, memoryMbPerThread: 16 };

export function runThreadsInChild(request: Partial<ThreadRunFixtureRequest>): ThreadRunFixtureRun[] {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify({ threadCount: 2, sharedInts: 4, limits: FIXTURE_LIMITS, ...request }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output) as ThreadRunFixtureRun[];
}

export function runOnceInChild(request: Partial<ThreadRunFixtureRequest>): ThreadRunFixtureRun {
  return runThreadsInChild(request)[0];
}
