import type { AsyncRunEvidence, AsyncScenario, ScenarioResult } from '../../graders/grader-api';
import type { ExportArgument } from './isolate/isolate-contract';
import type { ScenarioContext } from './scenario-context';
import { SandboxVerdictError } from './sandbox-verdict-error';
import { SUBMISSION_FILE_NAME } from './transpile-submission';
import type { AsyncScenarioEnvironment } from './virtual-clock-environment';
import { VirtualClockRun } from './virtual-clock-run';

export {
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_VIRTUAL_MS,
  VIRTUAL_EPOCH_MS,
  type AsyncScenarioEnvironment,
} from './virtual-clock-environment';

/**
 * `GraderContext.runAsync`: calls one export in a fresh context on the virtual clock and waits
 * until its promise settles and every service call it made has settled too.
 */
export async function runAsyncScenario(
  env: AsyncScenarioEnvironment,
  scenario: AsyncScenario,
): Promise<AsyncRunEvidence> {
  const run = new VirtualClockRun(env, scenario);
  let result: ScenarioResult | undefined;
  let settledAtMs: number | null = null;
  run.onExportSettled((outcome, payload, thrown) => {
    if (result) return;
    run.noteRejection(`${scenario.exportName}() failed`, thrown);
    settledAtMs = run.nowMs;
    if (outcome === 'resolved') result = { kind: 'resolved', value: payload };
    else if (outcome === 'rejected') result = { kind: 'rejected', message: String(payload) };
    else
      result = {
        kind: 'rejected',
        message: `the returned value cannot be copied out of the sandbox (${String(payload)})`,
      };
  });
  try {
    run.loadSubmission();
    requireFunctionExport(run.session, scenario.exportName);
    const args = exportArguments(run, scenario);
    run.session.startExport(scenario.exportName, args);
    run.afterMacrotask();
    const end = run.runLoop(() => result !== undefined && run.records.unsettledCalls === 0);
    return {
      result: result ?? {
        kind: 'pending',
        reason: end === 'virtual-time-cap' ? 'virtual-time-cap' : 'no-events-left',
      },
      settledAtMs,
      calls: run.records.calls,
      unhandledRejections: run.records.unhandledRejections(),
      console: run.records.consoleLines,
    };
  } finally {
    run.release();
  }
}

/** An export a scenario calls must be a function (a class is one); otherwise grading ends, naming it. */
export function requireFunctionExport(session: ScenarioContext, name: string): void {
  const type = session.exportType(name);
  if (type === 'undefined')
    throw new SandboxVerdictError(
      'runtime_error',
      `${SUBMISSION_FILE_NAME} does not export a function named ${name}`,
    );
  if (type !== 'function')
    throw new SandboxVerdictError(
      'runtime_error',
      `${SUBMISSION_FILE_NAME} exports ${name}, but it is a ${type}, not a function`,
    );
}

function exportArguments(run: VirtualClockRun, scenario: AsyncScenario): ExportArgument[] {
  return scenario.args.map((arg) =>
    'service' in arg
      ? { kind: 'service', service: arg.service, serviceKind: run.services.kindOf(arg.service) }
      : { kind: 'value', value: arg.value },
  );
}
