import type { ScheduleStrategy } from '../../graders/grader-api';
import type { ScheduleChoices } from '../sandbox/threads/controlled/control-memory';

/**
 * One run's schedule from the grading's seeded randomness. PCT (Burckhardt et al., ASPLOS 2010):
 * threads start with distinct random priorities depth..depth+n-1; depth-1 change points, each at a
 * step drawn uniformly from 1..expectedSteps, drop the thread taking that step to priority
 * 1..depth-1. A bug that needs d ordering constraints is found with probability at least
 * 1/(n * k^(d-1)) per run, for n threads and k steps.
 */
export function planSchedule(
  random: () => number,
  strategy: ScheduleStrategy,
  threads: number,
  expectedSteps: number,
): ScheduleChoices {
  const randomState = Math.floor(random() * 2 ** 32) | 0 || 1;
  if (strategy.kind === 'random')
    return { strategy: 'random', randomState, priorities: [], changePoints: [] };
  const depth = strategy.depth;
  const priorities = shuffled(
    Array.from({ length: threads }, (_, thread) => depth + thread),
    random,
  );
  const changePoints = Array.from({ length: depth - 1 }, (_, i) => ({
    step: 1 + Math.floor(random() * Math.max(1, expectedSteps)),
    priority: i + 1,
  }));
  return { strategy: 'pct', randomState, priorities, changePoints };
}

/** The strategies' names as messages say them. */
export function describeStrategy(strategy: ScheduleStrategy): string {
  return strategy.kind === 'random' ? 'random' : `PCT depth ${strategy.depth}`;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
