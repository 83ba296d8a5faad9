import type { DriverMark, OperationRecord, ServiceCallRecord } from '../../graders/grader-api';
import type { ExportOutcomeKind } from './isolate/isolate-contract';

/**
 * What the host saw during one async scenario: service calls, which rejected service promises
 * nobody handled, the driver's operations and marks, and the console. Written only by the host's
 * handlers as the runtime reports events; the submission has no way to reach it.
 */
export class VirtualClockRecords {
  readonly calls: ServiceCallRecord[] = [];
  readonly operations: OperationRecord[] = [];
  readonly marks: DriverMark[] = [];
  readonly consoleLines: string[] = [];
  private readonly callsPerService = new Map<string, number>();
  private readonly tracks = new Map<number, { callIndex: number; handled: boolean }>();
  private readonly rejectedThisTurn: number[] = [];
  private readonly unhandledCallIndexes = new Set<number>();
  private unsettledCallCount = 0;
  private waitingOperationCount = 0;

  constructor(private readonly nowMs: () => number) {}

  /** 0-based order of the next call to `service` among all its calls in the run. */
  nextCallIndex(service: string): number {
    const index = this.callsPerService.get(service) ?? 0;
    this.callsPerService.set(service, index + 1);
    return index;
  }

  startCall(service: string, index: number, args: unknown[]): number {
    this.unsettledCallCount++;
    const startedAtMs = this.nowMs();
    return this.calls.push({ service, index, args, startedAtMs, settledAtMs: null, ok: false }) - 1;
  }

  settleCall(callIndex: number, ok: boolean): void {
    const record = this.calls[callIndex];
    record.settledAtMs = this.nowMs();
    record.ok = ok;
    this.unsettledCallCount--;
  }

  /** A CPU-bound call is over when it returns: it settles `costMs` after it started. */
  recordCpuCall(service: string, index: number, args: unknown[], costMs: number): void {
    const startedAtMs = this.nowMs();
    this.calls.push({ service, index, args, startedAtMs, settledAtMs: startedAtMs + costMs, ok: true });
  }

  get unsettledCalls(): number {
    return this.unsettledCallCount;
  }

  track(callIndex: number): number {
    const trackId = this.tracks.size + 1;
    this.tracks.set(trackId, { callIndex, handled: false });
    return trackId;
  }

  markHandled(trackId: number): void {
    const tracked = this.tracks.get(trackId);
    if (tracked) tracked.handled = true;
  }

  noteRejected(trackId: number): void {
    this.rejectedThisTurn.push(trackId);
  }

  /** Node's rule: a rejection still without a handler when the macrotask ends is unhandled. */
  endOfMacrotask(): void {
    for (const trackId of this.rejectedThisTurn.splice(0)) {
      const tracked = this.tracks.get(trackId)!;
      if (!tracked.handled) this.unhandledCallIndexes.add(tracked.callIndex);
    }
  }

  unhandledRejections(): ServiceCallRecord[] {
    return [...this.unhandledCallIndexes].sort((a, b) => a - b).map((index) => this.calls[index]);
  }

  registerOperation(label: string, startsNow: boolean): number {
    this.waitingOperationCount++;
    const index = this.operations.length;
    const startedAtMs = startsNow ? this.nowMs() : null;
    this.operations.push({ index, label, startedAtMs, settledAtMs: null, outcome: { kind: 'waiting' } });
    return index;
  }

  startOperation(index: number): void {
    this.operations[index].startedAtMs = this.nowMs();
  }

  settleOperation(index: number, outcome: ExportOutcomeKind, payload: unknown): void {
    const operation = this.operations[index];
    if (!operation || operation.settledAtMs !== null) return;
    operation.settledAtMs = this.nowMs();
    operation.outcome =
      outcome === 'resolved'
        ? { kind: 'resolved', value: payload }
        : outcome === 'rejected'
          ? { kind: 'rejected', message: String(payload) }
          : {
              kind: 'rejected',
              message: `the value it resolved with cannot be copied out of the sandbox (${String(payload)})`,
            };
    this.waitingOperationCount--;
  }

  get waitingOperations(): number {
    return this.waitingOperationCount;
  }

  /** Operations not settled, in the order they started. */
  stillWaiting(): OperationRecord[] {
    return this.operations
      .filter((operation) => operation.settledAtMs === null)
      .sort((a, b) => (a.startedAtMs ?? Infinity) - (b.startedAtMs ?? Infinity) || a.index - b.index);
  }

  mark(label: string): void {
    this.marks.push({ label, atMs: this.nowMs(), callsBefore: this.calls.length });
  }
}
