/**
 * Test helper, run as `node --no-node-snapshot dist/src/sandbox/__fixtures__/run-scenarios.js`:
 * isolated-vm cannot load inside Jest's module sandbox, so specs send a submission and scenarios
 * on stdin and read what each run gave (evidence or verdict) as JSON on stdout. All scenarios run
 * in one GradingIsolate, as the scenarios of one grading job do.
 */
import { readFileSync } from 'node:fs';
import { runAsyncScenario } from '../async-scenario-run';
import { ConsoleBudget } from '../console-budget';
import { GradingDeadline } from '../grading-deadline';
import { GradingIsolate } from '../grading-isolate';
import { SandboxVerdictError } from '../sandbox-verdict-error';
import { transpileSubmission } from '../transpile-submission';

export interface ScenarioRequest {
  exportName: string;
  values: unknown[];
  randomState: [number, number, number, number];
}

export type ScenarioOutcome =
  | { evidence: Awaited<ReturnType<typeof runAsyncScenario>> }
  | { verdict: { status: string; message: string; location?: { line: number; column: number } } };

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as { code: string; scenarios: ScenarioRequest[] };
  const transpiled = await transpileSubmission(request.code);
  if (!transpiled.ok) throw new Error(transpiled.error.message);
  const isolate = new GradingIsolate({ memoryMb: 32 });
  const environment = {
    submission: transpiled.submission,
    isolate,
    deadline: new GradingDeadline(5000),
    console: new ConsoleBudget(10_000),
  };
  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const scenario of request.scenarios) {
      try {
        const evidence = await runAsyncScenario(
          { ...environment, randomState: scenario.randomState },
          {
            exportName: scenario.exportName,
            args: scenario.values.map((value) => ({ value })),
            services: {},
          },
        );
        outcomes.push({ evidence });
      } catch (error) {
        if (!(error instanceof SandboxVerdictError)) throw error;
        outcomes.push({
          verdict: {
            status: error.status,
            message: error.message,
            ...(error.location ? { location: error.location } : {}),
          },
        });
        break; // a verdict ends a grading job
      }
    }
  } finally {
    isolate.dispose();
  }
  process.stdout.write(JSON.stringify(outcomes));
}

main().catch((error: unknown) => {
  process.stderr.write(String((error as Error)?.stack ?? error));
  process.exit(1);
});
