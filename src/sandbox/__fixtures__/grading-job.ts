/**
 * For specs: runs scenarios through the compiled run-scenarios.js in a child `node` (isolated-vm
 * cannot load inside Jest's module sandbox), all in one isolate as in one grading job.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { seedState } from '../../grading/seeded-random';
import type { ScenarioOutcome, ScenarioRequest } from './run-scenarios';

const RUNNER = resolve(__dirname, '../../../dist/src/sandbox/__fixtures__/run-scenarios.js');
export const DEFAULT_RANDOM_STATE = seedState('seed', 'math-random/0');

export function gradingJob(code: string, scenarios: Partial<ScenarioRequest>[]): ScenarioOutcome[] {
  const request = {
    code,
    scenarios: scenarios.map((scenario) => ({
      exportName: 'run',
      values: [],
      randomState: DEFAULT_RANDOM_STATE,
      ...scenario,
    })),
  };
  const output = execFileSync(process.execPath, ['--no-node-snapshot', RUNNER], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    env: { TZ: 'UTC' },
  });
  return JSON.parse(output) as ScenarioOutcome[];
}
