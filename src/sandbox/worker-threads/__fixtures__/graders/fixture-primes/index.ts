import type { ExerciseGrader, MainRunEvidence } from '../../../../../../graders/grader-api';

/** Test-only grader: drives ctx.runMain the way the parallel-primes grader does, and judges host evidence only. */
const PRIMES_BELOW: Record<number, number> = { 1000: 168, 10_000: 1229, 30_000: 3245, 100_000: 9592 };

function describe(evidence: MainRunEvidence): string {
  const { result } = evidence;
  if (result.kind === 'resolved') return `resolved with ${JSON.stringify(result.value)}`;
  if (result.kind === 'rejected') return `rejected with "${result.message}"`;
  return `had not settled after ${Math.round(evidence.wallMs)} ms and was stopped`;
}

const fixturePrimesGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const wallTimeMs = Number(ctx.settings.wallTimeMs);
    const wrong: string[] = [];
    for (const [limit, threads] of [
      [10_000, 1],
      [10_000, 2],
      [30_000, 3],
      [10_000, 4],
    ]) {
      const evidence = await ctx.runMain({
        exportName: 'countPrimes',
        args: [limit, threads],
        wallTimeMs,
      });
      const expected = PRIMES_BELOW[limit];
      if (evidence.result.kind !== 'resolved' || evidence.result.value !== expected)
        wrong.push(`countPrimes(${limit}, ${threads}) ${describe(evidence)}; expected ${expected}`);
    }
    if (wrong.length === 0) checks.pass('counts');
    else checks.fail('counts', wrong.join('; '));

    const shared = await ctx.runMain({ exportName: 'countPrimes', args: [100_000, 2], wallTimeMs });
    const ended = shared.workers.map((worker) => worker.end);
    if (shared.workers.length === 2 && ended.every((end) => end === 'exited')) checks.pass('workers');
    else
      checks.fail(
        'workers',
        `countPrimes(100000, 2) started ${shared.workers.length} worker threads (${ended.join(', ') || 'none'}); expected 2 that exit by themselves`,
      );
  },
};

export default fixturePrimesGrader;
