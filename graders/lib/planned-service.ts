import type { ServiceOutcome, VirtualService } from '../grader-api';

/**
 * A virtual `fetchData` whose fate is fixed per url before the run, so the grader knows every
 * latency and outcome in advance and a repeated fetch of one url behaves the same way.
 */
export interface UrlPlan {
  url: string;
  latencyMs: number;
  outcome: ServiceOutcome;
}

/** What a fetch of a url that is not in the list gets: a prompt, clear failure. */
export const UNKNOWN_URL_LATENCY_MS = 10;

export function createPlannedFetch(plans: readonly UrlPlan[]): VirtualService {
  const byUrl = new Map(plans.map((plan) => [plan.url, plan]));
  return ({ args }) => {
    const plan = typeof args[0] === 'string' ? byUrl.get(args[0]) : undefined;
    if (plan === undefined) {
      return {
        latencyMs: UNKNOWN_URL_LATENCY_MS,
        outcome: {
          ok: false,
          error: `fetchData was called with ${JSON.stringify(args[0])}, which is not one of the urls`,
        },
      };
    }
    return { latencyMs: plan.latencyMs, outcome: plan.outcome };
  };
}
