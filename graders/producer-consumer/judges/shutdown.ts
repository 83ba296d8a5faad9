import { fail, pass, type Verdict } from '../../lib/check-tally';
import { formatCount, formatMs } from '../../lib/format';
import type { ConsumerRecord, ProducerRecord, QueueRunObservation } from '../queue-run-memory';
import {
  countThreads,
  describeBrokenRun,
  describeThrown,
  describeWhereStuck,
  formatAllowance,
  nameThreads,
  type Role,
} from './run-problems';

type ThreadRecord = ProducerRecord | ConsumerRecord;

interface Signal {
  /** How the message names it: "stop[0] = 1", "close()". */
  name: string;
  atMs: number | null;
}

interface RoleProblems {
  stuck: ThreadRecord[];
  late: { thread: ThreadRecord; afterMs: number }[];
  threw: ThreadRecord[];
  /** Producers that were still in produce() past the allowance and left only when close() made put() throw. */
  thrownOutByClose: ThreadRecord[];
  early: ThreadRecord[];
  putReturnedAfterClose: ThreadRecord[];
}

const indexOf = (thread: ThreadRecord) => ('producer' in thread ? thread.producer : thread.consumer);

function sortOut(
  run: QueueRunObservation,
  threads: ThreadRecord[],
  signal: Signal,
  earlyMatters: boolean,
): RoleProblems {
  const problems: RoleProblems = {
    stuck: [],
    late: [],
    threw: [],
    thrownOutByClose: [],
    early: [],
    putReturnedAfterClose: [],
  };
  const closeAt = run.coordinator.closeCalledAtMs;
  const overdue = (thread: ThreadRecord) =>
    signal.atMs !== null &&
    thread.returnedAtMs !== null &&
    thread.returnedAtMs - signal.atMs > run.plan.graceMs;
  for (const thread of threads) {
    if (thread.status === 'threw' && signal.name !== 'close()' && closeAt !== null && overdue(thread))
      problems.thrownOutByClose.push(thread);
    else if (thread.status === 'threw') problems.threw.push(thread);
    else if (thread.status !== 'returned') problems.stuck.push(thread);
    else if ('putEnd' in thread && thread.putEnd === 'returned-after-close')
      problems.putReturnedAfterClose.push(thread);
    else if (thread.early && earlyMatters) problems.early.push(thread);
    else if (overdue(thread)) problems.late.push({ thread, afterMs: thread.returnedAtMs! - signal.atMs! });
  }
  return problems;
}

/** What a thread that never returned was doing when the run ended. */
function describeStuck(thread: ThreadRecord): string {
  if ('consumer' in thread && (thread.inSlowStore || thread.report.waitingOn === null)) {
    const taken = thread.stored - thread.storedAtClose;
    if (taken > 0) return `still taking items: ${formatCount(taken)} since close()`;
  }
  return describeWhereStuck(thread.report);
}

function describeProblems(
  run: QueueRunObservation,
  role: Role,
  signal: Signal,
  problems: RoleProblems,
): string[] {
  const allowance = formatAllowance(run.plan.graceMs);
  const call = role === 'producer' ? 'put()' : 'get()';
  const body = role === 'producer' ? 'produce()' : 'consume()';
  const messages: string[] = [];
  if (problems.stuck.length > 0) {
    const names = nameThreads(role, problems.stuck.map(indexOf));
    const first = problems.stuck[0];
    const inQueue = first.report.waitingOn?.buffer === 'queue';
    const what = inQueue ? `blocked in ${call}` : `inside ${body}`;
    const when =
      signal.atMs === null ? `(${signal.name} was never reached)` : `${allowance} after ${signal.name}`;
    const where = `${problems.stuck.length === 1 ? '' : `${nameThreads(role, [indexOf(first)])} `}${describeStuck(first)}`;
    messages.push(`${countThreads(role, problems.stuck.length)} still ${what} ${when} (${names}; ${where})`);
  }
  for (const { thread, afterMs } of problems.late) {
    messages.push(
      `${nameThreads(role, [indexOf(thread)])} returned ${formatMs(Math.round(afterMs))} after ${signal.name} (allowed: ${allowance})`,
    );
  }
  if (problems.thrownOutByClose.length > 0) {
    const threads = problems.thrownOutByClose;
    messages.push(
      `${countThreads(role, threads.length)} still inside ${body} ${allowance} after ${signal.name} ` +
        `(${nameThreads(role, threads.map(indexOf))}; ${threads.length === 1 ? 'it' : 'they'} left only when close() ` +
        `made put() throw: ${describeThrown(threads[0].report)})`,
    );
  }
  for (const thread of problems.threw)
    messages.push(`${nameThreads(role, [indexOf(thread)])} threw ${describeThrown(thread.report)}`);
  if (problems.early.length > 0) {
    const names = nameThreads(role, problems.early.map(indexOf));
    messages.push(
      role === 'producer'
        ? `${names} returned from produce() before stop[0] was set: produce() must keep putting items until stop[0] !== 0`
        : `${names} returned from consume() before close() was called, while the queue was open: get() must wait while the queue is empty and open`,
    );
  }
  if (problems.putReturnedAfterClose.length > 0) {
    messages.push(
      `${nameThreads(role, problems.putReturnedAfterClose.map(indexOf))}: put() on the full queue returned normally after close() ` +
        'instead of throwing: a put() blocked when close() is called must throw an Error',
    );
  }
  return messages;
}

function describeRunEnd(run: QueueRunObservation): string {
  const { evidence } = run;
  const lost =
    evidence.lostWakeups.length > 0
      ? `; thread ${evidence.lostWakeups.join(', ')} slept although the value it waited on had changed (no Atomics.notify reached it)`
      : '';
  if (evidence.status === 'deadlock')
    return `; the run was stopped because every remaining thread was asleep with nothing left to wake it${lost}`;
  if (evidence.status === 'timeout') return `; the run was stopped at its time limit${lost}`;
  return lost;
}

/**
 * Every thread returns within the allowance of its signal: producers after stop[0] = 1 (or, when
 * blocked on a full queue, after close(), where put() must throw), consumers after close(). A
 * thread that returns before its signal, or throws, fails too; so does close() that never returns.
 */
export function judgeShutdown(run: QueueRunObservation): Verdict {
  const broken = describeBrokenRun(run);
  if (broken) return fail(broken);
  const { plan, coordinator } = run;
  const fullWait = plan.kind === 'producers-wait-on-full';
  const close: Signal = { name: 'close()', atMs: coordinator.closeCalledAtMs };
  const stop: Signal = fullWait ? close : { name: 'stop[0] = 1', atMs: coordinator.stopAtMs };

  const messages: string[] = [];
  if (coordinator.close === 'not-returned') messages.push('close() never returned');
  if (coordinator.close === 'threw') messages.push(`close() threw ${coordinator.closeError ?? 'an error'}`);
  messages.push(...describeProblems(run, 'producer', stop, sortOut(run, run.producers, stop, !fullWait)));
  messages.push(...describeProblems(run, 'consumer', close, sortOut(run, run.consumers, close, true)));
  if (messages.length > 0) return fail(`${messages.join('; ')}${describeRunEnd(run)}`);

  const slowest = (threads: ThreadRecord[], signal: Signal) =>
    Math.max(0, ...threads.map((thread) => (thread.returnedAtMs ?? 0) - (signal.atMs ?? 0)));
  const producersPart = fullWait
    ? `every blocked put() threw within ${formatMs(Math.round(slowest(run.producers, stop)))} of close()`
    : `every producer returned within ${formatMs(Math.round(slowest(run.producers, stop)))} of stop`;
  return pass(
    `${producersPart}, every consumer within ${formatMs(Math.round(slowest(run.consumers, close)))} of close()`,
  );
}
