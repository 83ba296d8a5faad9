import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExerciseGrader } from '../../../../../graders/grader-api';

/**
 * Test-only grader for the pool's scheduling: it runs no student code. Each job says what to do
 * in its seed (a TimelineStep as JSON) and reports when it ran, in which process, on which cores
 * and with how many dedicated cores, as the message of its one check (a TimelineEntry as JSON).
 */
export interface TimelineStep {
  label: string;
  /** How long the job stays busy (sleeping), so that jobs that may overlap do. */
  holdMs?: number;
  /** A file the job creates once it runs. */
  touch?: string;
  /** A file the job waits for (at most `awaitLimitMs`, default 5 s): made by a job that must run at the same time. */
  awaitFile?: string;
  awaitLimitMs?: number;
}

export interface TimelineEntry {
  label: string;
  pid: number;
  /** The process's allowed cores while the job ran (/proc/self/status). */
  cpus: string;
  dedicatedCores: number;
  startedAtMs: number;
  endedAtMs: number;
  /** Whether `awaitFile` appeared in time; absent when the step awaited nothing. */
  sawAwaitedFile?: boolean;
}

function allowedCpus(): string {
  return /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '?';
}

async function waitForFile(path: string, limitMs: number): Promise<boolean> {
  const giveUpAt = Date.now() + limitMs;
  while (!existsSync(path)) {
    if (Date.now() > giveUpAt) return false;
    await sleep(10);
  }
  return true;
}

const fixtureTimelineGrader: ExerciseGrader = {
  async grade(ctx, checks) {
    const startedAtMs = Date.now();
    const step = JSON.parse(ctx.seed) as TimelineStep;
    const cpus = allowedCpus();
    if (step.touch) writeFileSync(step.touch, String(process.pid));
    const sawAwaitedFile = step.awaitFile
      ? await waitForFile(step.awaitFile, step.awaitLimitMs ?? 5000)
      : undefined;
    await sleep(step.holdMs ?? 0);
    const entry: TimelineEntry = {
      label: step.label,
      pid: process.pid,
      cpus,
      dedicatedCores: ctx.dedicatedCores,
      startedAtMs,
      endedAtMs: Date.now(),
      sawAwaitedFile,
    };
    checks.pass('timeline', JSON.stringify(entry));
  },
};

export default fixtureTimelineGrader;
