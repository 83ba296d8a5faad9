import {
  THREAD_EVIDENCE_BYTES,
  THREAD_EVIDENCE_SEQUENCE,
  THREAD_EVIDENCE_SLOTS,
} from '../isolate/threads/thread-contract';

/** Where a thread is blocked, as its Atomics.wait wrapper published it. */
export interface PublishedWaitSite {
  /** Position in the run's list of the grader's buffers; -1 for memory the grader did not allocate. */
  buffer: number;
  /** Element index from the buffer's start, in elements of the waited array. */
  index: number;
  expected: number;
  /** Infinity when the wait has no timeout. */
  timeoutMs: number;
  /** 4 (Int32Array) or 8 (BigInt64Array). */
  elementBytes: number;
}

/** One consistent reading of a thread's evidence buffer. */
export interface ThreadEvidenceSnapshot {
  /** Changes with every write: two equal readings mean the thread did not wait, wake or notify between them. */
  sequence: number;
  /** False when the thread kept writing for every attempt: the cells may be from different moments. */
  consistent: boolean;
  /** Time blocked in waits that returned, plus the current wait so far. */
  blockedMs: number;
  waits: number;
  /** Null when not blocked in Atomics.wait. */
  site: PublishedWaitSite | null;
  wokeOthers: number;
  wokenByNotify: number;
}

const READ_ATTEMPTS = 1000;

/** The host's side of the bootstrap's seqlock (see THREAD_EVIDENCE_SEQUENCE). */
export class ThreadEvidenceReader {
  readonly buffer = new SharedArrayBuffer(THREAD_EVIDENCE_BYTES);
  private readonly sequence = new Int32Array(this.buffer, 0, 1);
  private readonly cells = new Float64Array(this.buffer);

  read(): ThreadEvidenceSnapshot {
    let cells = this.cells.slice();
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const before = Atomics.load(this.sequence, THREAD_EVIDENCE_SEQUENCE);
      if (before % 2 !== 0) continue;
      cells = this.cells.slice();
      if (Atomics.load(this.sequence, THREAD_EVIDENCE_SEQUENCE) === before)
        return snapshotOf(cells, before, true);
    }
    return snapshotOf(cells, Atomics.load(this.sequence, THREAD_EVIDENCE_SEQUENCE), false);
  }
}

function snapshotOf(cells: Float64Array, sequence: number, consistent: boolean): ThreadEvidenceSnapshot {
  const slot = THREAD_EVIDENCE_SLOTS;
  const waitingSince = cells[slot.waitingSince];
  return {
    sequence,
    consistent,
    blockedMs: cells[slot.blockedMs] + (waitingSince > 0 ? Math.max(0, Date.now() - waitingSince) : 0),
    waits: cells[slot.waits],
    site:
      waitingSince > 0
        ? {
            buffer: cells[slot.siteBuffer],
            index: cells[slot.siteIndex],
            expected: cells[slot.siteExpected],
            timeoutMs: cells[slot.siteTimeoutMs],
            elementBytes: cells[slot.siteElementBytes],
          }
        : null,
    wokeOthers: cells[slot.wokeOthers],
    wokenByNotify: cells[slot.wokenByNotify],
  };
}
