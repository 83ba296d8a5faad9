import type { MainRunEvidence, WorkerReport } from '../../../graders/grader-api';
import { hostBusySince, sampleHostBusy, type HostBusySample } from '../host-busy-time';
import type { ThreadIsolate, ThreadTimes } from './thread-isolate';
import type { ThreadLoop } from './thread-loop';

/** What the host keeps about each thread of a `runMain` run, and how it turns into evidence. */
export interface ThreadRecord {
  threadId: number;
  parent: ThreadRecord | null;
  isolate: ThreadIsolate;
  loop: ThreadLoop;
  children: Set<ThreadRecord>;
  /** `worker.unref()` lets the parent's event loop end while this worker still runs. */
  refedByParent: boolean;
  loaded: boolean;
  spawnedAt: number;
  onlineAt: number | null;
  endedAt: number | null;
  end: WorkerReport['end'];
  error?: WorkerReport['error'];
}

export interface Snapshot {
  at: number;
  main: ThreadTimes;
  host: HostBusySample;
}

export function takeSnapshot(main: ThreadRecord): Snapshot {
  return { at: performance.now(), main: main.isolate.times(), host: sampleHostBusy() };
}

export interface FinishedRun {
  threads: ThreadRecord[];
  main: ThreadRecord;
  atCall: Snapshot;
  atEnd: Snapshot;
  result: MainRunEvidence['result'];
  console: string[];
}

/** The evidence of a finished run: times from the call, each worker's end and CPU, the host's busy time. */
export function mainRunEvidence({
  threads,
  main,
  atCall,
  atEnd,
  result,
  console,
}: FinishedRun): MainRunEvidence {
  const sinceCall = (at: number) => round(at - atCall.at);
  const workers = threads
    .filter((record) => record !== main)
    .sort((a, b) => a.threadId - b.threadId)
    .map((record): WorkerReport => {
      const times = record.isolate.times();
      return {
        threadId: record.threadId,
        startedAtMs: sinceCall(record.onlineAt ?? record.spawnedAt),
        endedAtMs: record.endedAt === null ? null : sinceCall(record.endedAt),
        end: record.end,
        ...(record.error ? { error: record.error } : {}),
        cpuMs: round(times.cpuMs),
        blockedMs: round(times.blockedMs),
      };
    });
  const host = hostBusySince(atCall.host, atEnd.host);
  return {
    result,
    wallMs: round(atEnd.at - atCall.at),
    mainCpuMs: round(Math.max(0, atEnd.main.cpuMs - atCall.main.cpuMs)),
    workers,
    host: { processCpuMs: round(host.processCpuMs), systemBusyMs: host.systemBusyMs, cores: host.cores },
    console,
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
