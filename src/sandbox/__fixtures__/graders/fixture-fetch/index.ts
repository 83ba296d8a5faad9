import type { AsyncScenario, ExerciseGrader, ServiceCallPlan } from '../../../../../graders/grader-api';

/** Test-only grader: exercises runAsync the way the real async graders do, with seeded latencies. */
function scenario(urls: string[], latencies: number[], failing: Set<string>): AsyncScenario {
  return {
    exportName: 'fetchEach',
    args: [{ value: urls }, { service: 'fetchData' }],
    services: {
      fetchData: ({ args, index }): ServiceCallPlan => {
        const url = String(args[0]);
        return {
          latencyMs: latencies[index % latencies.length],
          outcome: failing.has(url)
            ? { ok: false, error: `${url} is down` }
            : { ok: true, value: `body of ${url}` },
        };
      },
    },
  };
}

const fixtureFetchGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const settings = ctx.settings as { urls: number; latencyMs: { min: number; max: number } };
    const random = ctx.random('latencies');
    const urls = Array.from({ length: settings.urls }, (_, i) => `https://site-${i}.test/`);
    const latencies = urls.map(
      () => settings.latencyMs.min + Math.floor(random() * (settings.latencyMs.max - settings.latencyMs.min)),
    );

    const happy = await ctx.runAsync(scenario(urls, latencies, new Set()));
    const expected = urls.map((url) => `body of ${url}`);
    if (happy.result.kind === 'resolved' && JSON.stringify(happy.result.value) === JSON.stringify(expected))
      checks.pass('results');
    else checks.fail('results', `expected ${JSON.stringify(expected)}, got ${JSON.stringify(happy.result)}`);
    const slowest = Math.max(...latencies);
    if (happy.settledAtMs === slowest) checks.pass('concurrency');
    else
      checks.fail(
        'concurrency',
        `finished at ${happy.settledAtMs} ms of virtual time; the slowest fetch takes ${slowest} ms`,
      );

    // The last url fails first, while earlier urls are still pending: the case that exposes unhandled rejections.
    const failingLatencies = [...latencies.slice(0, -1).map((latency) => latency + 100), 10];
    const failing = await ctx.runAsync(scenario(urls, failingLatencies, new Set([urls[urls.length - 1]])));
    const failed = failing.result.kind === 'resolved' ? (failing.result.value as string[]) : [];
    if (failed[urls.length - 1] === `error: ${urls[urls.length - 1]} is down`) checks.pass('failure-as-text');
    else checks.fail('failure-as-text', `got ${JSON.stringify(failing.result)}`);
    if (failing.unhandledRejections.length === 0) checks.pass('no-unhandled-rejection');
    else
      checks.fail(
        'no-unhandled-rejection',
        `${failing.unhandledRejections.length} rejected fetch(es) had no handler`,
      );
  },
};

export default fixtureFetchGrader;
