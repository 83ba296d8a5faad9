import type { AsyncDriverScenario, DriverRunEvidence } from '../../graders/grader-api';
import { requireFunctionExport } from './async-scenario-run';
import { graderBug } from './scenario-services';
import type { AsyncScenarioEnvironment } from './virtual-clock-environment';
import { VirtualClockRun } from './virtual-clock-run';

/**
 * `GraderContext.runAsyncDriver`: the grader's driver code runs beside the submission in a fresh
 * context on the virtual clock, starting labelled operations; the run lasts until every operation
 * has settled (with every service call in flight), or until nothing is left to happen: then the
 * operations still waiting are an async deadlock, named in the evidence.
 */
export async function runAsyncDriverScenario(
  env: AsyncScenarioEnvironment,
  scenario: AsyncDriverScenario,
): Promise<DriverRunEvidence> {
  if (typeof scenario.driver !== 'function') throw graderBug('the scenario has no driver function');
  const run = new VirtualClockRun(env, scenario);
  try {
    // The factory runs before the submission loads, so the driver captures pristine built-ins.
    const factory = run.session.setDriverFactory(String(scenario.driver));
    if (!factory.ok) throw graderBug(factory.message);
    run.loadSubmission();
    for (const name of scenario.exportNames ?? []) requireFunctionExport(run.session, name);
    const started = run.session.startDriver(copyOfInput(scenario.input), run.services.specs());
    if (!started.ok)
      throw run.thrownVerdict('the submission threw while the grader set up the run', started.error);
    run.afterMacrotask();
    const { records } = run;
    const end = run.runLoop(() => records.waitingOperations === 0 && records.unsettledCalls === 0);
    return {
      ...(scenario.label === undefined ? {} : { label: scenario.label }),
      end: end === 'done' ? 'completed' : end === 'no-events-left' ? 'deadlock' : 'virtual-time-cap',
      endedAtMs: run.nowMs,
      operations: records.operations,
      waiting: records.stillWaiting(),
      calls: records.calls,
      unhandledRejections: records.unhandledRejections(),
      marks: records.marks,
      console: records.consoleLines,
    };
  } finally {
    run.release();
  }
}

function copyOfInput(input: unknown): unknown {
  try {
    return structuredClone(input);
  } catch (error) {
    throw graderBug(`the driver's input cannot be copied into the sandbox: ${(error as Error)?.message}`);
  }
}
