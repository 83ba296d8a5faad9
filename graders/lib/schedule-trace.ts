import type { ControlledRunEvidence, ScheduleStep, WaitSite } from '../grader-api';
import { plural } from './format';

export interface TraceWording {
  /** How a thread is named; default "thread <threadId>". */
  thread?(index: number): string;
  /** How a cell is named; default "<buffer>[<index>]". */
  cell?(buffer: string | null, index: number): string;
  /** Words for the grader's own `point` steps; default "<thread> reached point <code>". */
  point?(thread: string, code: number, arg: number): string;
}

const defaultThread = (index: number) => `thread ${index + 1}`;
const defaultCell = (buffer: string | null, index: number) => `${buffer ?? 'its own memory'}[${index}]`;

/** One step in words a student reads: "thread 1 read c[0] = 41". */
export function describeStep(step: ScheduleStep, wording: TraceWording = {}): string {
  const who = (wording.thread ?? defaultThread)(step.thread);
  const cell = (wording.cell ?? defaultCell)(step.buffer, step.index);
  switch (step.action) {
    case 'read':
      return `${who} read ${cell} = ${step.value}`;
    case 'write':
      return `${who} wrote ${cell} = ${step.value}`;
    case 'load':
      return `${who} loaded ${cell} = ${step.value}`;
    case 'store':
      return `${who} stored ${cell} = ${step.extra}`;
    case 'compareExchange':
      return step.value === step.extra
        ? `${who} compareExchange on ${cell}: found ${step.value}, left it`
        : `${who} compareExchange on ${cell}: found ${step.value}, set ${step.extra}`;
    case 'add':
    case 'sub':
    case 'and':
    case 'or':
    case 'xor':
    case 'exchange':
      return `${who} Atomics.${step.action} on ${cell}: ${step.value} -> ${step.extra}`;
    case 'wait':
      return `${who} went to sleep on ${cell} (= ${step.value})`;
    case 'waitNotEqual':
      return `${who} did not sleep: ${cell} was ${step.value}, not ${step.extra}`;
    case 'woken':
      return `${who} woke up from ${cell}`;
    case 'timedOut':
      return `${who}'s wait on ${cell} timed out`;
    case 'notify':
      return `${who} notified ${cell}, waking ${plural(step.value, 'thread')}`;
    case 'point':
      return wording.point
        ? wording.point(who, step.index, step.value)
        : `${who} reached point ${step.index}`;
    case 'call':
      return `${who} called a method of ${step.buffer ?? 'its own memory'}`;
    case 'finish':
      return `${who} finished`;
  }
}

/** The last `count` steps, joined: the short trace a failure message carries. */
export function describeTrace(trace: ScheduleStep[], count = 12, wording: TraceWording = {}): string {
  const shown = trace.slice(-count).map((step) => describeStep(step, wording));
  const skipped = trace.length > count ? '...; ' : '';
  return skipped + shown.join('; ');
}

/** Which run, which schedule: "controlled run 12 of 200 (PCT depth 3, schedule 3f9a1c2e)". */
export function describeRun(run: ControlledRunEvidence): string {
  const strategy = run.schedule.strategy === 'pct' ? `PCT depth ${run.schedule.depth}` : 'random';
  return `controlled run ${run.run} of ${run.runs} (${strategy}, schedule ${run.schedule.seed})`;
}

/** Where a sleeper waits, in words: "sleeps on state[0] until it is no longer 1 (it is 0)". */
export function describeSleep(site: WaitSite, wording: TraceWording = {}): string {
  const cell = (wording.cell ?? defaultCell)(site.buffer, site.index);
  const now = site.current === null ? '' : ` (it is ${site.current})`;
  return `sleeps on ${cell} until it is no longer ${site.expected}${now}`;
}

/** A proven deadlock: who sleeps where. */
export function describeSleepers(run: ControlledRunEvidence, wording: TraceWording = {}): string {
  const name = wording.thread ?? defaultThread;
  return run.threads
    .filter((thread) => thread.waitingOn)
    .map((thread) => `${name(thread.index)} ${describeSleep(thread.waitingOn!, wording)}`)
    .join('; ');
}

const CHANGES: ReadonlySet<ScheduleStep['action']> = new Set([
  'write',
  'store',
  'add',
  'sub',
  'and',
  'or',
  'xor',
  'exchange',
  'compareExchange',
]);

/** The last step of the trace that changed the cell (or wrote it), if the trace still holds it. */
export function lastChange(
  trace: ScheduleStep[],
  buffer: string | null,
  index: number,
): ScheduleStep | undefined {
  for (let i = trace.length - 1; i >= 0; i--) {
    const step = trace[i];
    if (step.buffer !== buffer || step.index !== index || !CHANGES.has(step.action)) continue;
    if (step.action === 'write' || step.action === 'store' || step.value !== step.extra) return step;
  }
  return undefined;
}

/**
 * Who waits for whom at a proven deadlock: each sleeper waits for the cell it sleeps on to change,
 * and the thread that last set that cell is the one it waits for. When those edges close a cycle,
 * the cycle is named: "thread 1 waits for thread 2 (state[1] = 1, set by thread 2), thread 2 waits
 * for thread 1 (state[0] = 1, set by thread 1): a cycle". A thread that waits for itself is named so.
 */
export function describeWaitsFor(run: ControlledRunEvidence, wording: TraceWording = {}): string {
  const name = wording.thread ?? defaultThread;
  const cell = wording.cell ?? defaultCell;
  const waitsFor = new Map<number, number>();
  const edges: string[] = [];
  for (const thread of run.threads) {
    const site = thread.waitingOn;
    if (!site) continue;
    const setter = lastChange(run.trace, site.buffer, site.index);
    const where = `${cell(site.buffer, site.index)} = ${site.current ?? site.expected}`;
    if (!setter) {
      edges.push(`${name(thread.index)} sleeps on ${where}`);
      continue;
    }
    waitsFor.set(thread.index, setter.thread);
    edges.push(
      setter.thread === thread.index
        ? `${name(thread.index)} waits for itself (${where}, set by itself)`
        : `${name(thread.index)} waits for ${name(setter.thread)} (${where}, set by ${name(setter.thread)})`,
    );
  }
  const selfWait = [...waitsFor].some(([waiter, setter]) => waiter === setter);
  const ending = selfWait
    ? ': a thread that waits for a change only it could make never wakes'
    : hasCycle(waitsFor)
      ? ': a cycle, nobody can go on'
      : '';
  return edges.join(', ') + ending;
}

function hasCycle(waitsFor: Map<number, number>): boolean {
  for (const start of waitsFor.keys()) {
    const seen = new Set<number>();
    for (let at: number | undefined = start; at !== undefined; at = waitsFor.get(at)) {
      if (seen.has(at)) return true;
      seen.add(at);
    }
  }
  return false;
}
