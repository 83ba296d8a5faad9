import type { ControlledRunEvidence, ControlledThreadReport, ScheduleStep } from '../grader-api';
import { fail, type Verdict } from '../lib/check-tally';
import { formatCount, ordinal, plural } from '../lib/format';
import { describeRun, describeSleep, describeTrace, describeWaitsFor } from '../lib/schedule-trace';
import { isLostWakeup } from '../lib/stopped-threads';
import { CONTROLLED_POINTS, type ControlledLedger } from './controlled-memory';
import { LOCK_WORDING } from './controlled-wording';
import { whereabouts } from './lock-whereabouts';

export type RoundsCheck = 'exclusion' | 'nested-acquisition' | 'finishes-in-time';
export type RoundsVerdicts = Partial<Record<RoundsCheck, Verdict>>;

const SHOWN_STEPS = 12;
const lastSteps = (trace: ScheduleStep[]) => describeTrace(trace, SHOWN_STEPS, LOCK_WORDING);

/**
 * One controlled run of nested rounds (in-thread/controlled-rounds-thread-code.ts), judged from
 * the host's evidence and the grader's ledger only. Facts first, whatever the run's end: a thread
 * let in while another was inside, then a thread that threw. Then, on a completed run, a lost
 * update; on a proven deadlock, who waits for whom. A run stopped at the step limit or by real
 * time proves nothing more.
 */
export function judgeControlledRounds(run: ControlledRunEvidence, ledger: ControlledLedger): RoundsVerdicts {
  const where = describeRun(run);
  const entered = ledger.threads.findIndex((row) => row.overlap !== null);
  if (entered >= 0) {
    const { thread, depth, roundDepth, released } = ledger.threads[entered].overlap!;
    const onTheWayOut =
      released > 0
        ? ` (it had acquired it ${plural(roundDepth, 'time')} in a row and released it ${plural(released, 'time')})`
        : '';
    return {
      exclusion: fail(
        `thread ${entered + 1}'s acquire() returned while thread ${thread + 1} held the lock ${depth} deep${onTheWayOut}, on ${where}: ` +
          lastSteps(upToOverlap(run.trace, entered)),
      ),
    };
  }
  const threw = run.threads.find((thread) => thread.end.kind === 'threw');
  if (threw) return judgeThrow(run, ledger, threw);
  if (run.status === 'completed') {
    const done = ledger.threads.reduce((sum, row) => sum + row.updates, 0);
    if (ledger.counter === done) return {};
    const counterSteps = run.trace.filter((step) => step.buffer === 'counter');
    return {
      exclusion: fail(
        `lost ${formatCount(done - ledger.counter)} of ${formatCount(done)} updates made while holding the lock, on ${where}: ` +
          lastSteps(counterSteps),
      ),
    };
  }
  return run.status === 'deadlock' ? judgeDeadlock(run, ledger) : {};
}

/** The steps up to the acquire() that let `thread` in while another thread was inside. */
function upToOverlap(trace: ScheduleStep[], thread: number): ScheduleStep[] {
  const isPoint = (step: ScheduleStep, code: number) =>
    step.thread === thread && step.action === 'point' && step.index === code;
  const overlap = trace.findIndex((step) => isPoint(step, CONTROLLED_POINTS.overlap));
  if (overlap < 0) return trace;
  const acquired = trace.slice(0, overlap).findLastIndex((step) => isPoint(step, CONTROLLED_POINTS.acquired));
  return trace.slice(0, acquired >= 0 ? acquired + 1 : overlap);
}

function judgeThrow(
  run: ControlledRunEvidence,
  ledger: ControlledLedger,
  thread: ControlledThreadReport,
): RoundsVerdicts {
  if (thread.end.kind !== 'threw') return {};
  const line = thread.end.location ? ` (line ${thread.end.location.line})` : '';
  const threw = `threw ${thread.end.message}${line}`;
  const row = ledger.threads[thread.index];
  const name = `thread ${thread.threadId}`;
  const on = `on ${describeRun(run)}`;
  if (row.place === 'acquiring' && row.depth > 0)
    return {
      'nested-acquisition': fail(
        `${name}'s acquire() ${threw} while it already held the lock ${row.depth} deep, ${on}: a thread that holds ` +
          `the lock must get it again at once. Last steps: ${lastSteps(run.trace)}`,
      ),
    };
  if (row.place === 'releasing' && row.depth > 0 && row.roundDepth > 1) {
    const released = row.roundDepth - row.depth;
    return {
      'nested-acquisition': fail(
        `${name}'s release() ${threw} while it still held the lock ${row.depth} deep (it had acquired it ` +
          `${plural(row.roundDepth, 'time')} in a row and released it ${plural(released, 'time')}), ${on}: the lock must ` +
          `count how deep its holder is and stay held until the last release(). Last steps: ${lastSteps(run.trace)}`,
      ),
    };
  }
  const at = row.place === 'between' || row.place === 'notStarted' ? '' : ` ${whereabouts(row)}`;
  return { exclusion: fail(`${name} ${threw}${at}, ${on}. Last steps: ${lastSteps(run.trace)}`) };
}

/**
 * A proven deadlock. A thread stuck in a nested acquire() fails nested-acquisition (a plain lock
 * waits for itself); any other fails finishes-in-time, with where each stuck thread is.
 */
function judgeDeadlock(run: ControlledRunEvidence, ledger: ControlledLedger): RoundsVerdicts {
  const on = describeRun(run);
  const stuck = run.threads.filter((thread) => thread.end.kind === 'stopped');
  const nester = stuck.find((thread) => {
    const row = ledger.threads[thread.index];
    return row.place === 'acquiring' && row.depth > 0;
  });
  const waits = describeWaitsFor(run, LOCK_WORDING);
  if (nester) {
    const depth = ledger.threads[nester.index].depth;
    return {
      'nested-acquisition': fail(
        `thread ${nester.threadId}'s ${ordinal(depth + 1)} acquire() in a row did not return although it already ` +
          `held the lock ${depth} deep (deadlock on ${on}): ${waits}. A thread that holds the lock must get it ` +
          `again at once. Last steps: ${lastSteps(run.trace)}`,
      ),
    };
  }
  const lostWakeup = stuck.some((thread) => thread.waitingOn && isLostWakeup(thread.waitingOn));
  const described = stuck.map((thread) => {
    const at = whereabouts(ledger.threads[thread.index]);
    const site = thread.waitingOn;
    if (!site) return `thread ${thread.threadId} ${at} is still running`;
    const lost = isLostWakeup(site) ? ': nobody woke it (a lost wake-up)' : '';
    return `thread ${thread.threadId} ${at} ${describeSleep(site, LOCK_WORDING)}${lost}`;
  });
  const who = lostWakeup || waits === '' ? '' : `. Who waits for whom: ${waits}`;
  return {
    'finishes-in-time': fail(
      `deadlock on ${on}: ${described.join('; ')}${who}. Last steps: ${lastSteps(run.trace)}`,
    ),
  };
}
