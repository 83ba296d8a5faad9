import type {
  CpuBoundService,
  ServiceCallPlan,
  ServiceOutcome,
  VirtualClockSettings,
  VirtualService,
} from '../../graders/grader-api';
import type { ServiceKind, ServiceSpec } from './isolate/isolate-contract';
import { SandboxVerdictError } from './sandbox-verdict-error';

/**
 * The grader's services of one scenario, as the host consults them: which kind each name is, and
 * each call's plan, checked. A service that throws or plans nonsense is a grader bug, never the
 * student's: callers turn the thrown Error into an internal_error verdict.
 */
export class ScenarioServices {
  constructor(private readonly settings: VirtualClockSettings) {
    const both = Object.keys(settings.services ?? {}).filter((name) => settings.cpuServices?.[name]);
    if (both.length > 0) throw graderBug(`service '${both[0]}' is both an I/O and a CPU-bound service`);
  }

  /** The kind of a named service, for the runtime to build it; an unknown name is the grader's bug. */
  kindOf(name: string): ServiceKind {
    if (this.settings.services?.[name]) return 'io';
    if (this.settings.cpuServices?.[name]) return 'cpu';
    throw graderBug(`the scenario passes unknown service '${name}'`);
  }

  specs(): ServiceSpec[] {
    return [...Object.keys(this.settings.services ?? {}), ...Object.keys(this.settings.cpuServices ?? {})]
      .sort()
      .map((name) => ({ name, kind: this.kindOf(name) }));
  }

  planIo(name: string, request: Parameters<VirtualService>[0]): ServiceCallPlan {
    const service = this.settings.services?.[name];
    if (!service) throw new Error('it is not an I/O service of this scenario');
    const plan = service(request);
    if (!(Number.isFinite(plan.latencyMs) && plan.latencyMs >= 0))
      throw new Error(`latencyMs must be a finite number >= 0, got ${plan.latencyMs}`);
    return plan;
  }

  planCpu(name: string, request: Parameters<CpuBoundService>[0]): ReturnType<CpuBoundService> {
    const service = this.settings.cpuServices?.[name];
    if (!service) throw new Error('it is not a CPU-bound service of this scenario');
    const plan = service(request);
    if (!(Number.isFinite(plan.costMs) && plan.costMs >= 0))
      throw new Error(`costMs must be a finite number >= 0, got ${plan.costMs}`);
    return plan;
  }
}

/** The outcome of a call at the instant it settles (a planned one, or one decided then). */
export function settledOutcome(outcome: ServiceCallPlan['outcome'], nowMs: number): ServiceOutcome {
  const settled = typeof outcome === 'function' ? outcome({ nowMs }) : outcome;
  if (typeof settled !== 'object' || settled === null || typeof settled.ok !== 'boolean')
    throw new Error(`an outcome must be { ok: true, value } or { ok: false, error }, got ${String(settled)}`);
  return settled;
}

export function graderBug(problem: string): SandboxVerdictError {
  return new SandboxVerdictError('internal_error', `grader bug: ${problem}`);
}
