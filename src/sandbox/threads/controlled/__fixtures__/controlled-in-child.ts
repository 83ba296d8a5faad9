/**
 * For specs: runs __fixtures__/run-controlled.js from dist/ in a child `node` (isolated-vm cannot
 * load inside Jest) and returns what the runs gave.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { ScheduleChoices } from '../control-memory';
import type { ControlledFixtureRequest, ControlledFixtureResult } from './run-controlled';

const RUNNER = resolve(
  __dirname,
  '../../../../../dist/src/sandbox/threads/controlled/__fixtures__/run-controlled.js',
);

export function runControlledInChild(request: ControlledFixtureRequest): ControlledFixtureResult {
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output) as ControlledFixtureResult;
}

/** `count` schedules, alternating random and PCT (depth 3), each from its own numbers. */
export function mixedSchedules(count: number, threads: number): ScheduleChoices[] {
  return Array.from({ length: count }, (_, run) => {
    const priorities = Array.from({ length: threads }, (_, thread) => 3 + ((thread + run) % threads));
    return run % 2 === 0
      ? { strategy: 'random', randomState: run * 7919 + 17, priorities, changePoints: [] }
      : {
          strategy: 'pct',
          randomState: 1,
          priorities,
          changePoints: [
            { step: 1 + ((run * 7) % 40), priority: 1 },
            { step: 1 + ((run * 13) % 60), priority: 2 },
          ],
        };
  });
}
