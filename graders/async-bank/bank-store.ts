import type { ServiceOutcome, VirtualService } from '../grader-api';

/** One store call as it took effect: a read answered `value`, a write set it. */
export interface StoreEvent {
  kind: 'read' | 'write';
  account: string;
  value: number;
  calledAtMs: number;
  /** When it took effect: the instant its promise settled. */
  atMs: number;
}

/**
 * The grader's key-value store behind `read` and `write`, kept on the host. Each call takes effect
 * at the instant its promise settles: a read answers the balance at that instant, a write changes
 * it then. So an operation is safe only if nobody else touches the account from its read until its
 * write has landed, and the store's log is evidence of who did. Latencies come from `latency()`.
 */
export class VirtualStore {
  readonly log: StoreEvent[] = [];
  private readonly balances: Map<string, number>;

  constructor(
    initial: Record<string, number>,
    private readonly latency: () => number,
  ) {
    this.balances = new Map(Object.entries(initial));
  }

  /** An account never written reads as 0. */
  balanceOf(account: string): number {
    return this.balances.get(account) ?? 0;
  }

  services(): { read: VirtualService; write: VirtualService } {
    return {
      read: ({ args, nowMs: calledAtMs }) => ({
        latencyMs: this.latency(),
        outcome: ({ nowMs }) => {
          const account = args[0];
          if (typeof account !== 'string')
            return refuse(`read() takes an account name, got ${show(account)}`);
          const value = this.balanceOf(account);
          this.log.push({ kind: 'read', account, value, calledAtMs, atMs: nowMs });
          return { ok: true, value };
        },
      }),
      write: ({ args, nowMs: calledAtMs }) => ({
        latencyMs: this.latency(),
        outcome: ({ nowMs }) => {
          const [account, value] = args;
          if (typeof account !== 'string')
            return refuse(`write() takes an account name first, got ${show(account)}`);
          if (typeof value !== 'number' || !Number.isFinite(value))
            return refuse(`write(${account}, ${show(value)}): the balance must be a finite number`);
          this.balances.set(account, value);
          this.log.push({ kind: 'write', account, value, calledAtMs, atMs: nowMs });
          return { ok: true, value: undefined };
        },
      }),
    };
  }
}

function refuse(error: string): ServiceOutcome {
  return { ok: false, error };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
