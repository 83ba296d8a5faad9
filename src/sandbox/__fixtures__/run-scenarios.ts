/**
 * Test helper, run as `node --no-node-snapshot dist/src/sandbox/__fixtures__/run-scenarios.js`:
 * isolated-vm cannot load inside Jest's module sandbox, so specs send a submission and scenarios
 * on stdin and read what each run gave (evidence or verdict) as JSON on stdout. All scenarios run
 * in one GradingIsolate, as the scenarios of one grading job do. Services are described as data
 * (FixtureService) since functions cannot travel as JSON; a driver travels as source text.
 */
import { readFileSync } from 'node:fs';
import type { AsyncDriverCode, CpuBoundService, VirtualService } from '../../../graders/grader-api';
import { runAsyncDriverScenario } from '../async-driver-run';
import { runAsyncScenario } from '../async-scenario-run';
import { ConsoleBudget } from '../console-budget';
import { GradingDeadline } from '../grading-deadline';
import { GradingIsolate } from '../grading-isolate';
import { SandboxVerdictError } from '../sandbox-verdict-error';
import { transpileSubmission } from '../transpile-submission';

/**
 * io: resolves with "<name>:<first arg>" after latenciesMs[index % length]; arrivals: the same, but
 * resolves with "<calls of it settled before>@<virtual time>", decided as it settles; cpu: returns
 * "<name>(<arg>)" at a cost.
 */
export type FixtureService =
  { kind: 'io' | 'arrivals'; latenciesMs: number[] } | { kind: 'cpu'; costMs: number };

export interface ScenarioRequest {
  exportName: string;
  values: unknown[];
  randomState: [number, number, number, number];
  /** Passed after `values` to the export, in this order; all of them go to a driver. */
  services?: Record<string, FixtureService>;
  /** AsyncDriverCode as source text: the scenario runs through runAsyncDriverScenario. */
  driver?: string;
  input?: unknown;
  scheduleSeed?: string;
  maxVirtualMs?: number;
}

export type ScenarioOutcome =
  | { evidence: Awaited<ReturnType<typeof runAsyncScenario>> }
  | { driverEvidence: Awaited<ReturnType<typeof runAsyncDriverScenario>> }
  | { verdict: { status: string; message: string; location?: { line: number; column: number } } };

function services(request: ScenarioRequest) {
  const io: Record<string, VirtualService> = {};
  const cpu: Record<string, CpuBoundService> = {};
  for (const [name, service] of Object.entries(request.services ?? {})) {
    if (service.kind === 'cpu') {
      cpu[name] = ({ args }) => ({ value: `${name}(${String(args[0])})`, costMs: service.costMs });
      continue;
    }
    let settledBefore = 0;
    const { kind, latenciesMs } = service;
    io[name] = ({ args, index }) => ({
      latencyMs: latenciesMs[index % latenciesMs.length],
      outcome:
        kind === 'io'
          ? { ok: true, value: `${name}:${String(args[0])}` }
          : ({ nowMs }) => ({ ok: true, value: `${settledBefore++}@${nowMs}` }),
    });
  }
  return { services: io, cpuServices: cpu };
}

async function runOne(environment: Parameters<typeof runAsyncScenario>[0], request: ScenarioRequest) {
  const settings = {
    ...services(request),
    scheduleSeed: request.scheduleSeed,
    maxVirtualMs: request.maxVirtualMs,
  };
  if (request.driver !== undefined) {
    // A function whose source text is the request's: the sandbox sends String(driver) into the isolate.
    const source = request.driver;
    const driver = Object.assign(() => undefined, { toString: () => source }) as unknown as AsyncDriverCode;
    return {
      driverEvidence: await runAsyncDriverScenario(environment, {
        ...settings,
        driver,
        input: request.input,
      }),
    };
  }
  const args = [
    ...request.values.map((value) => ({ value })),
    ...Object.keys(request.services ?? {}).map((service) => ({ service })),
  ];
  return {
    evidence: await runAsyncScenario(environment, { ...settings, exportName: request.exportName, args }),
  };
}

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
        outcomes.push(await runOne({ ...environment, randomState: scenario.randomState }, scenario));
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
